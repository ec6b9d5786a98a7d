package platform;

import java.util.regex.Pattern;

/**
 * The identifier of a whole platform ({@code PLATFORM_ID}, default {@value #DEFAULT}): lower-case
 * letters, digits and dashes, at most 40 characters. It prefixes every Kafka topic
 * ({@code <platform>.<module>.<event>}), consumer group and transactional id, so that two platforms
 * sharing one Kafka cluster never read or fence each other's messages.
 */
public record PlatformId(String value) {

    /** The environment variable that names the platform. */
    public static final String VARIABLE = "PLATFORM_ID";

    /** The configuration property it maps to. */
    public static final String PROPERTY = "storefront.platform-id";

    /** The platform id when none is set. */
    public static final String DEFAULT = "storefront";

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");

    public PlatformId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException(VARIABLE + "='" + value + "' is invalid: use 1-40 lower-case letters,"
                    + " digits or dashes, starting and ending with a letter or digit");
        }
    }

    /** The platform id of a configured value; blank or missing means {@value #DEFAULT}. */
    public static PlatformId of(String configured) {
        return new PlatformId(configured == null || configured.isBlank() ? DEFAULT : configured);
    }

    /**
     * The Kafka topic of a module's events on this platform: {@code events} is module-relative
     * ({@code tenancy.commands}); a name that is already qualified (two dots or more) is kept.
     */
    public String topic(String events) {
        return events.indexOf('.') != events.lastIndexOf('.') ? events : value + "." + events;
    }

    /** A consumer group, transactional or client id on this platform: {@code <platform>-<name>}. */
    public String prefixed(String name) {
        return value + "-" + name;
    }

    @Override
    public String toString() {
        return value;
    }
}
