package madoguchi.app.booking;

/** The card a request acts for, and the site where it is kept (from a verified token or a lookup). */
public record CardRef(long cardId, String siteId) {
}
