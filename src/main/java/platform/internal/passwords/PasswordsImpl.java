package platform.internal.passwords;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import platform.PasswordHashes;
import platform.Passwords;
import platform.Problem;
import platform.ProblemException;
import platform.StorefrontConfig;

/**
 * {@link Passwords} with the node's configured work factors: at most {@code maxConcurrent} hashes
 * at once (fair turns, waiting at most {@code maxWait}), and the time of a check learnt from the
 * real ones for {@link #pretendCheck()}.
 */
@ApplicationScoped
class PasswordsImpl implements Passwords {

    /** How long a request is told to wait when every turn is taken. */
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

    private final PasswordHashes hashes;
    private final Semaphore turns;
    private final Duration maxWait;
    private final CheckTime checkTime;

    @Inject
    PasswordsImpl(StorefrontConfig config) {
        this(new PasswordHashes(config.passwordHashing().argon2()),
                config.passwordHashing().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors()),
                config.passwordHashing().maxWait());
    }

    PasswordsImpl(PasswordHashes hashes, int maxConcurrent, Duration maxWait) {
        this.hashes = hashes;
        this.turns = new Semaphore(Math.max(1, maxConcurrent), true);
        this.maxWait = maxWait;
        this.checkTime = new CheckTime(() -> inTurn(() -> {
            String dummy = UUID.randomUUID().toString();
            long start = System.nanoTime();
            hashes.hash(dummy); // the same work as a check with the target factors
            return System.nanoTime() - start;
        }), CheckTime::sleep, System::nanoTime);
    }

    @Override
    public String hash(String password) {
        return inTurn(() -> hashes.hash(password));
    }

    @Override
    public Check check(String password, String stored) {
        long[] took = new long[1];
        boolean matches = inTurn(() -> {
            long start = System.nanoTime();
            boolean verified = hashes.verify(password, stored);
            took[0] = System.nanoTime() - start;
            return verified;
        });
        if (PasswordHashes.factorsOf(stored).filter(hashes.target()::equals).isPresent()) {
            checkTime.observed(took[0]); // after the turn: never waits for a calibration while holding one
        }
        return matches ? new Check(true, hashes.needsRehash(stored)) : Check.WRONG;
    }

    @Override
    public void pretendCheck() {
        checkTime.pretend();
    }

    private <T> T inTurn(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = turns.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ProblemException(Problem.of(503, "Service unavailable",
                    "Too many password checks are running on this node; try again shortly."), BUSY_RETRY_AFTER);
        }
        try {
            return work.get();
        } finally {
            turns.release();
        }
    }
}
