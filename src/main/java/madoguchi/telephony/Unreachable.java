package madoguchi.telephony;

/** The database or the allocator could not answer in time: the caller goes to the operators. */
final class Unreachable extends RuntimeException {
    Unreachable(String why) {
        super(why, null, false, false);
    }
}
