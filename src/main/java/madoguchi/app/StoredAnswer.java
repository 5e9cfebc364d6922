package madoguchi.app;

/** The first answer to a request that carried an Idempotency-Key, kept to be given again on a retry. */
public record StoredAnswer(int status, String body) {
}
