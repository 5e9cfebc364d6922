package madoguchi.app.cards;

import madoguchi.domain.CardState;

import java.time.LocalDate;

/** A resident's card as stored: never the My Number itself. */
public record CardRecord(long id, String noticeNumber, LocalDate birthDate, String phone, String siteId, CardState state) {

    @Override
    public String toString() {
        // birth dates and phone numbers stay out of logs
        return "CardRecord[id=" + id + ", siteId=" + siteId + ", state=" + state + "]";
    }
}
