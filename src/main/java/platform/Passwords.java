package platform;

/**
 * Password hashing of this node, with the work factors of its configuration
 * ({@link StorefrontConfig.PasswordHashing}): staff accounts on cells, shop owners on the control
 * plane. A hash costs tens of milliseconds of CPU and {@code memoryKib} of heap, so the node computes
 * only a few at once; a call that waits too long for its turn ends the request with 503 and
 * {@code Retry-After} (a {@link ProblemException}). Call it outside database transactions, so that a
 * waiting or hashing request holds no connection.
 */
public interface Passwords {

    /** A new hash of a password (Argon2id, PHC string format). */
    String hash(String password);

    /**
     * Checks a password against a stored hash (Argon2id, or the earlier PBKDF2 format).
     *
     * @return whether it matches and, if it does, whether the stored hash should be replaced by
     *     {@link #hash(String)} of the password (earlier format or weaker work factors)
     */
    Check check(String password, String stored);

    /**
     * Takes about as long as a {@link #check} with the configured work factors, without computing a
     * hash (and without using the CPU): the answer for an account that does not exist, so that its
     * timing tells nothing. The duration is learnt from real checks; when there were none for a
     * minute, one such call computes a hash of a random password instead of waiting (at most one hash
     * a minute per node, whatever the number of calls).
     */
    void pretendCheck();

    /** Whether a stored value is a password hash that {@link #check} can verify. */
    default boolean isHash(String stored) {
        return PasswordHashes.isHash(stored);
    }

    /** Outcome of a check: {@code needsRehash} only ever when it matches. */
    record Check(boolean matches, boolean needsRehash) {

        public static final Check WRONG = new Check(false, false);
    }
}
