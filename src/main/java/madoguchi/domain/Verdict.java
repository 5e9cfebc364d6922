package madoguchi.domain;

/** What the seat ledger answers: a decision to make durable, or a refusal. */
public sealed interface Verdict permits Decision, Refusal {
}
