package tenancy.internal;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.ZoneId;
import java.util.List;
import platform.ProblemException;
import tenancy.ShopSettings;
import tenancy.TenantTransactional;

/** {@link ShopSettings} in {@code tenancy_shop_settings} (one row per shop once saved, under row-level security). */
@ApplicationScoped
class ShopSettingsImpl implements ShopSettings {

    static final Settings DEFAULTS = new Settings(ZoneId.of("UTC"));

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;

    @Override
    @TenantTransactional
    public Settings current() {
        List<?> zones = entityManager().createNativeQuery(
                        "select time_zone from tenancy_shop_settings where tenant_id = platform_current_tenant()")
                .getResultList();
        if (zones.isEmpty()) {
            return DEFAULTS;
        }
        // a zone id the JDK no longer knows (tz database changes) falls back to UTC rather than failing the page
        return ShopSettings.zone((String) zones.get(0)).map(Settings::new).orElse(DEFAULTS);
    }

    @Override
    @TenantTransactional
    public Settings setTimeZone(String timeZone) {
        ZoneId zone = ShopSettings.zone(timeZone).orElseThrow(() -> ProblemException.invalidField("timeZone",
                "must be an IANA time zone id such as Europe/Paris, America/New_York or UTC"));
        entityManager().createNativeQuery("insert into tenancy_shop_settings (tenant_id, time_zone, updated_at)"
                        + " values (platform_current_tenant(), ?1, now()) on conflict (tenant_id)"
                        + " do update set time_zone = excluded.time_zone, updated_at = now()")
                .setParameter(1, zone.getId())
                .executeUpdate();
        return new Settings(zone);
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
