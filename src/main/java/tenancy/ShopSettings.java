package tenancy;

import java.time.ZoneId;

/**
 * Settings of the bound tenant's shop that its merchant edits (admin settings page and
 * {@code /api/admin/settings}). Every call acts on the tenant bound to the current unit of work.
 */
public interface ShopSettings {

    /** The shop's settings: its time zone (for "today" on the dashboard, dates shown to the merchant). */
    record Settings(ZoneId timeZone) {}

    /** The settings of the bound shop; a shop that never saved any has the defaults (time zone UTC). */
    Settings current();

    /**
     * Saves the shop's time zone.
     *
     * @param timeZone an IANA time zone id such as {@code Europe/Paris} (or {@code UTC})
     * @throws platform.ProblemException 400 naming the field {@code timeZone} when it is not a known zone id
     */
    Settings setTimeZone(String timeZone);

    /** The zone of an IANA id, if the id is one (region ids such as {@code Europe/Paris}, and {@code UTC}). */
    static java.util.Optional<ZoneId> zone(String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            return java.util.Optional.empty();
        }
        String trimmed = id.strip();
        // region ids only: offsets such as "+02:00" are not zones a shop lives in
        if (!"UTC".equals(trimmed) && !ZoneId.getAvailableZoneIds().contains(trimmed)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ZoneId.of(trimmed));
    }
}
