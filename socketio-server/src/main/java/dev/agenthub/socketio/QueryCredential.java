package dev.agenthub.socketio;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * A credential a client passed in its handshake's query ({@code ?token=}), held only
 * until it is first checked: from then on the session keeps what the check made of it (a
 * principal, or why it was refused), never the credential itself. A session may connect
 * several namespaces over its life, and connect one again after a refusal; each CONNECT
 * is answered from that one check. Every namespace of a server checks with the same
 * function (a value of another type is refused, not re-checked: the credential is gone).
 */
public final class QueryCredential {

	/** The credential as sent ({@link String}), or a {@link Checked}. */
	private final AtomicReference<Object> state;

	public QueryCredential(String credential) {
		this.state = new AtomicReference<>(credential);
	}

	/**
	 * The value {@code check} makes of the credential: computed on the first call whose
	 * check completes, then kept in its place. A check that fails or completes empty
	 * refuses every later call with its message.
	 */
	public <T> Mono<T> check(Class<T> type, Function<String, Mono<T>> check) {
		return Mono.defer(() -> {
			Object current = this.state.get();
			if (current instanceof Checked checked) {
				return checked.answer(type);
			}
			String credential = (String) current;
			return check.apply(credential)
				.switchIfEmpty(Mono.error(() -> new Refused("the credential was not accepted")))
				.doOnNext((value) -> this.state.compareAndSet(credential, new Checked(value, null)))
				.doOnError((ex) -> this.state.compareAndSet(credential,
						new Checked(null, String.valueOf(ex.getMessage()))));
		});
	}

	/** Whether the credential itself is still held (not yet checked). */
	public boolean unchecked() {
		return this.state.get() instanceof String;
	}

	private record Checked(Object value, String refusal) {

		<T> Mono<T> answer(Class<T> type) {
			if (this.refusal != null) {
				return Mono.error(new Refused(this.refusal));
			}
			return type.isInstance(this.value) ? Mono.just(type.cast(this.value))
					: Mono.error(new Refused("the credential was checked as another kind of value"));
		}

	}

	/** Why a credential was not accepted (its first check's message). */
	public static final class Refused extends RuntimeException {

		Refused(String message) {
			super(message, null, false, false);
		}

	}

}
