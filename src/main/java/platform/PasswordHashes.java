package platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: new ones are Argon2id (RFC 9106) in the PHC string format
 * ({@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>$<hash>}, unpadded standard
 * base64, 16-byte salt, 32-byte hash); hashes of the earlier format
 * ({@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, URL-safe base64) are still verified, and
 * reported as needing a new hash. Pure: the work factors are given, nothing is read from
 * configuration; {@link Passwords} is the configured, bounded door the modules use.
 */
public final class PasswordHashes {

    /**
     * Argon2id work factors.
     *
     * @param memoryKib   memory per hash in KiB (at least 8 per lane)
     * @param iterations  passes over the memory
     * @param parallelism lanes
     */
    public record Argon2(int memoryKib, int iterations, int parallelism) {

        /** Largest memory accepted, in configuration and in stored hashes: 1 GiB. */
        public static final int MAX_MEMORY_KIB = 1 << 20;
        /** Most iterations accepted. */
        public static final int MAX_ITERATIONS = 64;
        /** Most lanes accepted. */
        public static final int MAX_PARALLELISM = 16;

        public Argon2 {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("Argon2 parallelism must be 1-" + MAX_PARALLELISM + ", not " + parallelism);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("Argon2 iterations must be 1-" + MAX_ITERATIONS + ", not " + iterations);
            }
            if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("Argon2 memory must be " + 8 * parallelism + "-" + MAX_MEMORY_KIB
                        + " KiB (at least 8 KiB per lane), not " + memoryKib);
            }
        }

        /** Whether every factor is at least that of {@code other}. */
        public boolean atLeast(Argon2 other) {
            return memoryKib >= other.memoryKib && iterations >= other.iterations && parallelism >= other.parallelism;
        }
    }

    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
    public static final Argon2 OWASP_MINIMUM = new Argon2(19_456, 2, 1);

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final String ARGON2ID = "$argon2id$v=19$";
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([0-9]{1,7}),t=([0-9]{1,2}),p=([0-9]{1,2})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");
    private static final Pattern PBKDF2 = Pattern.compile(
            "pbkdf2-sha256\\$([0-9]{4,7})\\$([A-Za-z0-9_-]{16,64})\\$([A-Za-z0-9_-]{32,128})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final Base64.Encoder URL_B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_B64D = Base64.getUrlDecoder();

    private final Argon2 target;

    /** Hashes with the given work factors, and calls weaker hashes out of date. */
    public PasswordHashes(Argon2 target) {
        this.target = target;
    }

    /** The work factors of new hashes. */
    public Argon2 target() {
        return target;
    }

    /** A new Argon2id hash of a password, with a random salt, in the PHC string format. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return ARGON2ID + "m=" + target.memoryKib() + ",t=" + target.iterations() + ",p=" + target.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(argon2id(password, salt, target, HASH_BYTES));
    }

    /** Whether the password matches a stored hash (Argon2id in PHC format, or the earlier PBKDF2 format). Constant-time. */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        Optional<Phc> argon = phc(stored);
        if (argon.isPresent()) {
            Phc phc = argon.get();
            return MessageDigest.isEqual(phc.hash(), argon2id(password, phc.salt(), phc.factors(), phc.hash().length));
        }
        Matcher legacy = PBKDF2.matcher(stored);
        if (legacy.matches()) {
            try {
                byte[] expected = URL_B64D.decode(legacy.group(3));
                return MessageDigest.isEqual(expected, pbkdf2(password, URL_B64D.decode(legacy.group(2)),
                        Integer.parseInt(legacy.group(1)), expected.length * 8));
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether a stored hash should be replaced by a new one once its password is known: every PBKDF2
     * hash, and Argon2id hashes with any work factor below the target's (or a shorter salt or hash).
     */
    public boolean needsRehash(String stored) {
        return phc(stored).map(phc -> !phc.factors().atLeast(target) || phc.salt().length < SALT_BYTES
                || phc.hash().length < HASH_BYTES).orElse(true);
    }

    /** Whether a stored value is a password hash this class can verify (either format, factors within bounds). */
    public static boolean isHash(String stored) {
        return stored != null && (phc(stored).isPresent() || PBKDF2.matcher(stored).matches());
    }

    /** The Argon2id work factors of a stored hash; empty for other formats. */
    public static Optional<Argon2> factorsOf(String stored) {
        return phc(stored).map(Phc::factors);
    }

    /** A hash in the earlier PBKDF2-HMAC-SHA256 format, for tests of the migration from it. */
    static String pbkdf2Hash(String password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + iterations + "$" + URL_B64.encodeToString(salt) + "$"
                + URL_B64.encodeToString(pbkdf2(password, salt, iterations, 256));
    }

    /** A stored Argon2id hash, decoded. */
    private record Phc(Argon2 factors, byte[] salt, byte[] hash) {}

    /** The stored value as an Argon2id PHC string with factors in bounds, a salt of 8+ bytes and a hash of 16+. */
    private static Optional<Phc> phc(String stored) {
        Matcher m = stored == null ? null : PHC.matcher(stored);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            Phc phc = new Phc(new Argon2(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))),
                    B64D.decode(m.group(4)), B64D.decode(m.group(5)));
            return phc.salt().length >= 8 && phc.hash().length >= 16 ? Optional.of(phc) : Optional.empty();
        } catch (IllegalArgumentException malformed) { // factors out of bounds, or not base64
            return Optional.empty();
        }
    }

    private static byte[] argon2id(String password, byte[] salt, Argon2 factors, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(factors.memoryKib())
                .withIterations(factors.iterations())
                .withParallelism(factors.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return out;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations, int bits) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
