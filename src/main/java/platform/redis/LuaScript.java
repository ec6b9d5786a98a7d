package platform.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script on one key, run in one round trip by its SHA-1 ({@code EVALSHA}); when Redis does not know it
 * ({@code NOSCRIPT}, for example after a restart) it is sent whole once ({@code EVAL}), which loads it again.
 */
public record LuaScript(String source, String sha) {

    public LuaScript(String source) {
        this(source, sha1(source));
    }

    /** Runs the script with {@code KEYS[1] = key} and {@code ARGV = args}. */
    public Uni<Response> run(ReactiveRedisDataSource redis, String key, String... args) {
        String[] evalsha = new String[args.length + 3];
        evalsha[0] = sha;
        evalsha[1] = "1";
        evalsha[2] = key;
        System.arraycopy(args, 0, evalsha, 3, args.length);
        return redis.execute(Command.EVALSHA, evalsha).onFailure(LuaScript::noScript).recoverWithUni(() -> {
            String[] eval = evalsha.clone();
            eval[0] = source;
            return redis.execute(Command.EVAL, eval);
        });
    }

    private static boolean noScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
