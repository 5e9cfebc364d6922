package madoguchi.app.staff;

/**
 * A staff change that could not be written together with its audit row: nothing of it was
 * written (the database refused or could not be reached). The one answer for every staff action.
 */
public final class NotRecorded extends RuntimeException {
    public NotRecorded(Throwable cause) {
        super("the change and its audit row could not be written; nothing was changed", cause);
    }
}
