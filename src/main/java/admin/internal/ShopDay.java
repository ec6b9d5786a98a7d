package admin.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A calendar day of a shop in its own time zone, as the half-open range of instants
 * {@code [from, to)}: from the shop's local midnight to the next one (23 or 25 hours on the days
 * daylight saving time starts or ends, and from the first valid local time where midnight is skipped).
 */
public record ShopDay(LocalDate day, Instant from, Instant to) {

    /** The shop's day that contains {@code now}. */
    public static ShopDay containing(Instant now, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(now, zone);
        return new ShopDay(day, day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant());
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }
}
