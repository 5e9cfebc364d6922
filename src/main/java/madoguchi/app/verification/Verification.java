package madoguchi.app.verification;

import madoguchi.app.limits.Attempts;
import madoguchi.app.limits.Lockouts;

import madoguchi.app.cards.CardRecord;
import madoguchi.app.cards.CardStore;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A resident proves who they are with the notice number and the birth date, on the web or by
 * phone; here are the limits that keep a birth date from being found by trying, in one place for
 * both channels:
 * <ul>
 * <li>per source: a web client address (IPv6 by /64, see {@link AddressKey}) may try so many times
 * a minute, every attempt counted; a calling number may fail so many times an hour;
 * <li>per notice number: so many failures an hour (web and phone together), then locked until
 * the hour is over, even for the right date;
 * <li>service-wide: {@link VerificationBrake}.
 * </ul>
 * Failures are counted <em>before</em> the card is looked up (a reservation, given back when the
 * date was right): guesses sent at the same moment cannot together pass a limit. Each refusal
 * counts in {@code madoguchi_abuse_lockouts_total{kind}}.
 */
public final class Verification {
    /** The per-source and per-notice limits (in this instance's memory, or shared by every instance: {@link Attempts}). */
    public record Limits(Attempts perAddress, Attempts failuresPerCaller, Attempts failuresPerNotice) {
    }

    /** What became of an attempt. */
    public sealed interface Outcome permits Verified, Failed, Locked {
    }

    /** The notice number and the birth date belong to this card. */
    public record Verified(CardRecord card) implements Outcome {
    }

    /** What a lockout locks: one notice number, one calling number, one web address, or every check. */
    public enum Lock {
        NOTICE, CALLER, ADDRESS, SERVICE
    }

    /**
     * No card has this notice number and birth date (the same answer for both). {@code locked} is
     * set when this failure used up a limit, so that a person can be told at once.
     */
    public record Failed(Locked locked) implements Outcome {
    }

    /**
     * Refused before the card was looked up: what is locked, until when, and by which limit
     * ({@code kind}, as counted in {@code madoguchi_abuse_lockouts_total}).
     */
    public record Locked(Instant until, String kind) implements Outcome {
        public Lock what() {
            return switch (kind) {
                case "verify_notice" -> Lock.NOTICE;
                case "verify_caller" -> Lock.CALLER;
                case "verify_address" -> Lock.ADDRESS;
                default -> Lock.SERVICE;
            };
        }
    }

    private final CardStore cards;
    private final Limits limits;
    private final VerificationBrake brake;
    private final MeterRegistry registry;
    private final WebAttempts atOnce;

    public Verification(CardStore cards, Limits limits, VerificationBrake brake, MeterRegistry registry) {
        this(cards, limits, brake, registry, null);
    }

    /**
     * {@code atOnce}: the web's per-address and per-notice limits and the lookup in one step, counted in
     * the same places as {@code limits} (null: one after the other).
     */
    public Verification(CardStore cards, Limits limits, VerificationBrake brake, MeterRegistry registry, WebAttempts atOnce) {
        this.cards = cards;
        this.limits = limits;
        this.brake = brake;
        this.registry = registry;
        this.atOnce = atOnce;
    }

    /** An attempt on the web page or API from {@code hostAddress}; {@code notice} is normalized, never null. */
    public Future<Outcome> byWeb(String hostAddress, String notice, LocalDate birth) {
        String source = AddressKey.of(hostAddress);
        if (atOnce != null && !brake.on()) {
            // the brake off (as nearly always), nothing stands between the two limits: one step
            return atOnce.attempt(source, noticeKey(notice), notice, birth).compose(met -> {
                if (met.addressLockedUntil() != null) {
                    return locked(met.addressLockedUntil(), "verify_address");
                }
                if (met.noticeLockedUntil() != null) {
                    return locked(met.noticeLockedUntil(), "verify_notice");
                }
                if (met.card() != null) {
                    return Future.succeededFuture(new Verified(met.card()));
                }
                brake.failed();
                return Future.succeededFuture(new Failed(null));
            });
        }
        return limits.perAddress().tryAcquire(source).compose(byAddress -> {
            if (byAddress != null) {
                return locked(byAddress, "verify_address");
            }
            return brake.admit(source).compose(paced -> {
                if (paced != null) {
                    return locked(paced, "verify_service");
                }
                return limits.failuresPerNotice().reserve(noticeKey(notice)).compose(byNotice -> byNotice.refusedUntil() != null
                        ? locked(byNotice.refusedUntil(), "verify_notice")
                        : check(notice, birth, byNotice, null));
            });
        });
    }

    /**
     * An attempt by phone from {@code caller} (the calling number, or null when withheld: those
     * callers share one count). {@code notice} or {@code birth} is null when what was keyed in is
     * not one; that is a failure without a lookup.
     */
    public Future<Outcome> byPhone(String caller, String notice, LocalDate birth) {
        String source = "caller:" + (caller == null || caller.isBlank() ? "anonymous" : caller);
        return limits.failuresPerCaller().reserve(source).compose(byCaller -> {
            if (byCaller.refusedUntil() != null) {
                return locked(byCaller.refusedUntil(), "verify_caller");
            }
            Future<Attempts.Reservation> reserved = notice == null ? Future.succeededFuture()
                    : limits.failuresPerNotice().reserve(noticeKey(notice));
            return reserved.compose(byNotice -> {
                if (byNotice != null && byNotice.refusedUntil() != null) {
                    byCaller.giveBack();
                    return locked(byNotice.refusedUntil(), "verify_notice");
                }
                return brake.admit(source).compose(until -> {
                    if (until != null) {
                        byCaller.giveBack();
                        if (byNotice != null) {
                            byNotice.giveBack();
                        }
                        return locked(until, "verify_service");
                    }
                    if (byNotice == null || birth == null) {
                        // nothing to look up: a failure all the same
                        brake.failed();
                        return lockedAfterFailure(source, notice).<Outcome>map(Failed::new);
                    }
                    return check(notice, birth, byNotice, byCaller).compose(outcome -> outcome instanceof Failed
                            ? lockedAfterFailure(source, notice).<Outcome>map(Failed::new) : Future.succeededFuture(outcome));
                }, e -> {
                    // not evaluated (the pace could not be counted): not a guess
                    byCaller.giveBack();
                    if (byNotice != null) {
                        byNotice.giveBack();
                    }
                    return Future.failedFuture(e);
                });
            }, e -> {
                byCaller.giveBack();
                return Future.failedFuture(e);
            });
        });
    }

    /**
     * The lock on a notice number now, or null: only a look (an operator's, for a resident who
     * called), nothing is counted.
     */
    public Future<Locked> lockOf(String notice) {
        return limits.failuresPerNotice().lockedUntil(noticeKey(notice)).map(until -> until == null ? null : new Locked(until, "verify_notice"));
    }

    private Future<Outcome> check(String notice, LocalDate birth, Attempts.Reservation byNotice,
                                  Attempts.Reservation byCaller) {
        Future<Optional<CardRecord>> found;
        try {
            found = cards.byNoticeNumber(notice);
        } catch (RuntimeException e) {
            found = Future.failedFuture(e);
        }
        return found.<Outcome>compose(card -> {
            if (card.isPresent() && card.get().birthDate().equals(birth)) {
                // given back before the answer: the resident's next try, on any instance, finds it uncounted
                return Future.all(byNotice.giveBack(), byCaller == null ? Future.succeededFuture() : byCaller.giveBack())
                        .map(new Verified(card.get()));
            }
            brake.failed();
            return Future.succeededFuture(new Failed(null));
        }).onFailure(e -> {
            // not evaluated (the database could not be asked): not a guess
            byNotice.giveBack();
            if (byCaller != null) {
                byCaller.giveBack();
            }
        });
    }

    /**
     * When a failure just used up a count: which, and until when. The notice number comes first:
     * its owner, calling from their own phone, is told that this number is locked, not their phone.
     */
    private Future<Locked> lockedAfterFailure(String source, String notice) {
        Future<Instant> byNotice = notice == null ? Future.succeededFuture() : limits.failuresPerNotice().lockedUntil(noticeKey(notice));
        return byNotice.compose(until -> until != null ? Future.succeededFuture(new Locked(until, "verify_notice"))
                : limits.failuresPerCaller().lockedUntil(source).map(c -> c == null ? null : new Locked(c, "verify_caller")));
    }

    private Future<Outcome> locked(Instant until, String kind) {
        Lockouts.count(registry, kind);
        return Future.succeededFuture(new Locked(until, kind));
    }

    private static String noticeKey(String notice) {
        return "notice:" + notice;
    }
}
