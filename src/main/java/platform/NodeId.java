package platform;

import java.util.regex.Pattern;

/**
 * Which node of a cell (or of the control plane) this is ({@code NODE_ID}, default {@value #DEFAULT}):
 * 1-32 lower-case letters, digits or dashes. It makes the node a static member of the Kafka consumer
 * groups it shares with the other nodes of its cell, so that a restarted node (same id) takes its
 * partitions back at once instead of waiting for its dead predecessor's session to time out.
 */
public record NodeId(String value) {

    /** The environment variable that names the node. */
    public static final String VARIABLE = "NODE_ID";

    /** The id of a node when none is set: a cell (or control plane) run as one node. */
    public static final String DEFAULT = "1";

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public NodeId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException(VARIABLE + "='" + value
                    + "' is invalid: use 1-32 lower-case letters, digits or dashes, starting with a letter or digit");
        }
    }

    /** The node id of a configured value; blank or missing means {@value #DEFAULT}. */
    public static NodeId of(String configured) {
        return new NodeId(configured == null || configured.isBlank() ? DEFAULT : configured);
    }

    @Override
    public String toString() {
        return value;
    }
}
