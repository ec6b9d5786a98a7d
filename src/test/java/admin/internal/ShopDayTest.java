package admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ShopDayTest {

    @Test
    void utcIsTheUtcDay() {
        ShopDay day = ShopDay.containing(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
        assertEquals(LocalDate.parse("2026-12-03"), day.day());
        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), day.from());
        assertEquals(Instant.parse("2026-12-04T00:00:00Z"), day.to());
    }

    @Test
    void justAfterLocalMidnightIsTodayAlthoughYesterdayInUtc() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo"); // UTC+9
        Instant justAfterMidnight = Instant.parse("2026-12-02T15:05:00Z"); // 00:05 on 3 December in Tokyo
        ShopDay day = ShopDay.containing(Instant.parse("2026-12-03T08:00:00Z"), tokyo); // 17:00 in Tokyo
        assertEquals(LocalDate.parse("2026-12-03"), day.day());
        assertEquals(Instant.parse("2026-12-02T15:00:00Z"), day.from());
        assertTrue(day.contains(justAfterMidnight));
        assertFalse(ShopDay.containing(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC).contains(justAfterMidnight));
        assertFalse(day.contains(Instant.parse("2026-12-02T14:59:59Z")), "23:59:59 the day before in Tokyo");
    }

    @Test
    void westOfUtcTheDayStartsLater() {
        ZoneId newYork = ZoneId.of("America/New_York"); // UTC-5 in December
        ShopDay day = ShopDay.containing(Instant.parse("2026-12-03T03:00:00Z"), newYork); // 22:00 on 2 December
        assertEquals(LocalDate.parse("2026-12-02"), day.day());
        assertEquals(Instant.parse("2026-12-02T05:00:00Z"), day.from());
        assertEquals(Instant.parse("2026-12-03T05:00:00Z"), day.to());
    }

    @Test
    void daylightSavingDaysAreShorterOrLonger() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        ShopDay spring = ShopDay.containing(Instant.parse("2026-03-29T12:00:00Z"), paris);
        assertEquals(Duration.ofHours(23), Duration.between(spring.from(), spring.to()));
        ShopDay autumn = ShopDay.containing(Instant.parse("2026-10-25T12:00:00Z"), paris);
        assertEquals(Duration.ofHours(25), Duration.between(autumn.from(), autumn.to()));
    }
}
