package dev.agenthub.sidecar.git;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PorcelainV2ParserTests {

	@Test
	void shouldParseBranchHeadersAndEveryEntryKind() {
		String output = """
				# branch.oid 1234567890abcdef1234567890abcdef12345678
				# branch.head main
				# branch.upstream origin/main
				# branch.ab +2 -3
				1 .M N... 100644 100644 100644 aaaa bbbb src/App.java
				1 A. N... 000000 100644 100644 0000 cccc docs/new file.md
				1 D. N... 100644 000000 000000 dddd 0000 old.txt
				2 R. N... 100644 100644 100644 eeee ffff R100 lib/New.java\tlib/Old.java
				2 C. N... 100644 100644 100644 eeee ffff C75 copy.txt\torig.txt
				u UU N... 100644 100644 100644 100644 1111 2222 3333 conflict.txt
				? untracked.log
				! ignored.tmp
				""";

		GitStatus status = PorcelainV2Parser.parse(output);

		assertThat(status.branch()).isEqualTo("main");
		assertThat(status.oid()).isEqualTo("1234567890abcdef1234567890abcdef12345678");
		assertThat(status.upstream()).isEqualTo("origin/main");
		assertThat(status.ahead()).isEqualTo(2);
		assertThat(status.behind()).isEqualTo(3);
		assertThat(status.files()).containsExactly(new GitFile("src/App.java", "modified", ".M", false, null),
				new GitFile("docs/new file.md", "added", "A.", true, null),
				new GitFile("old.txt", "deleted", "D.", true, null),
				new GitFile("lib/New.java", "renamed", "R.", true, "lib/Old.java"),
				new GitFile("copy.txt", "copied", "C.", true, "orig.txt"),
				new GitFile("conflict.txt", "conflicted", "UU", false, null),
				new GitFile("untracked.log", "untracked", "??", false, null));
	}

	@Test
	void shouldReportADetachedHeadAnInitialCommitAndNoUpstream() {
		GitStatus status = PorcelainV2Parser.parse("# branch.oid (initial)\n# branch.head (detached)\n");

		assertThat(status.branch()).isEqualTo("(detached)");
		assertThat(status.oid()).isNull();
		assertThat(status.upstream()).isNull();
		assertThat(status.ahead()).isZero();
		assertThat(status.behind()).isZero();
		assertThat(status.files()).isEmpty();
	}

	@Test
	void shouldUnquoteCQuotedPaths() {
		GitStatus status = PorcelainV2Parser
			.parse("? \"caf\\303\\251 \\\"x\\\".txt\"\n1 .M N... 100644 100644 100644 a b \"tab\\there\"\n");

		assertThat(status.files()).extracting(GitFile::path).containsExactly("café \"x\".txt", "tab\there");
	}

	@Test
	void shouldBuildTheEventDataWithBranchCountsAndFiles() {
		GitStatus status = PorcelainV2Parser.parse("# branch.oid abc\n# branch.head dev\n? a.txt\n");

		Map<String, Object> data = status.toEventData();

		assertThat(data).containsEntry("branch", "dev").containsEntry("ahead", 0).containsEntry("behind", 0);
		assertThat(data.get("files")).asList()
			.containsExactly(Map.of("path", "a.txt", "status", "untracked", "xy", "??", "staged", false));
	}

	@Test
	void shouldListAtMostMaxFilesButCountThemAll() {
		StringBuilder output = new StringBuilder("# branch.head main\n");
		for (int i = 0; i < 250; i++) {
			output.append("? file").append(i).append('\n');
		}

		Map<String, Object> data = PorcelainV2Parser.parse(output.toString()).toEventData();

		assertThat(data.get("files")).asList().hasSize(GitStatus.MAX_FILES);
		assertThat(data).containsEntry("fileCount", 250).containsEntry("truncated", true);
	}

	@Test
	void shouldRejectOutputThatIsNotPorcelainV2() {
		assertThatIllegalArgumentException().isThrownBy(() -> PorcelainV2Parser.parse(" M file.txt\n"))
			.withMessageContaining("porcelain v2");
		assertThatIllegalArgumentException().isThrownBy(() -> PorcelainV2Parser.parse("1 .M N... 100644\n"))
			.withMessageContaining("malformed");
	}

}
