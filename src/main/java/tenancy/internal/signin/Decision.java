package tenancy.internal.signin;

import java.time.Duration;

/**
 * Whether a sign-in attempt may go on to the password check; if not, which limit refused it and
 * when the next attempt would be admitted.
 */
public record Decision(boolean admitted, Limited limited, Duration retryAfter) {

    /** The limit that refused an attempt. */
    public enum Limited { SOURCE, ACCOUNT }

    static final Decision ADMITTED = new Decision(true, null, Duration.ZERO);

    static Decision refused(Limited limited, long waitMicros) {
        return new Decision(false, limited, Duration.ofNanos(Math.max(1, waitMicros) * 1000));
    }
}
