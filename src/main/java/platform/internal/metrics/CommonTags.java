package platform.internal.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import platform.StorefrontConfig;

/** Every metric of a node carries its role and cell id, so one dashboard can compare nodes. */
@Singleton
class CommonTags {

    @Produces
    @Singleton
    MeterFilter roleAndCell(StorefrontConfig config) {
        return MeterFilter.commonTags(Tags.of("role", config.role().value(), "cell", config.cellId().orElse("none")));
    }
}
