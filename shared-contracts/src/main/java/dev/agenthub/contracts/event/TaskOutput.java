package dev.agenthub.contracts.event;

/**
 * {@code task:output}: a chunk of a command's output.
 *
 * @param taskId the task
 * @param output the text
 * @param isError whether it came from stderr
 */
public record TaskOutput(String taskId, String output, Boolean isError) implements EventPayload {

	public TaskOutput {
		Check.id(taskId, "taskId");
		Check.present(output, "output");
		isError = (isError != null) ? isError : Boolean.FALSE;
	}

}
