package platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the container descriptors in {@code docker/} in step with the application, without Docker:
 * the variables each node of {@code docker/compose.yaml} sets (against the README's configuration
 * table), the one image for every role ({@code docker/Dockerfile}) and the database roles created by
 * {@code docker/postgres/init/} (against {@code infra/postgres/}, what the local setup runs).
 *
 * <p>No YAML library is on the classpath: {@link MiniYaml} reads the strict subset compose.yaml is
 * written in (block mappings and lists of scalars, quoted or plain scalars, flow sequences kept as
 * text) and rejects everything else, so that a file it cannot read fails here instead of being
 * misread.
 */
class DeploymentDescriptorsTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Path COMPOSE = DOCKER.resolve("compose.yaml");
    private static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
    private static final Path DOCKERIGNORE = DOCKER.resolve("Dockerfile.dockerignore");
    private static final Path INIT_SQL_DIR = DOCKER.resolve("postgres/init");
    private static final Path INFRA_SQL_DIR = ROOT.resolve("infra/postgres");
    private static final Path README = ROOT.resolve("README.md");

    private static final Set<NodeRole> ALL_ROLES = EnumSet.allOf(NodeRole.class);
    private static final Set<NodeRole> CELL = EnumSet.of(NodeRole.CELL);
    private static final Set<NodeRole> CONTROL = EnumSet.of(NodeRole.CONTROL);
    private static final Set<NodeRole> CELL_CONTROL = EnumSet.of(NodeRole.CELL, NodeRole.CONTROL);
    private static final Set<NodeRole> CELL_GATEWAY = EnumSet.of(NodeRole.CELL, NodeRole.GATEWAY);
    private static final Set<NodeRole> CONTROL_GATEWAY = EnumSet.of(NodeRole.CONTROL, NodeRole.GATEWAY);

    /**
     * The environment variables the application reads and the roles that use each: the first two
     * columns of the configuration table in README.md. The test reads that table whenever README.md
     * has one (a markdown table with a {@code | `STOREFRONT_ROLE` |} row); this copy is used only
     * when it has none, and for a variable whose roles column the test cannot read.
     */
    private static final Map<String, Set<NodeRole>> FALLBACK_VARIABLES = fallbackVariables();

    private static Map<String, Set<NodeRole>> fallbackVariables() {
        Map<String, Set<NodeRole>> vars = new LinkedHashMap<>();
        vars.put("STOREFRONT_ROLE", ALL_ROLES);
        vars.put("CELL_ID", CELL);
        vars.put("HTTP_HOST", ALL_ROLES);
        vars.put("HTTP_PORT", ALL_ROLES);
        vars.put("MANAGEMENT_HOST", ALL_ROLES);
        vars.put("MANAGEMENT_PORT", ALL_ROLES);
        vars.put("PUBLIC_URL", CELL);
        vars.put("DB_URL", CELL_CONTROL);
        vars.put("DB_USER", CELL_CONTROL);
        vars.put("DB_PASSWORD", CELL_CONTROL);
        vars.put("DB_MIGRATION_USER", CELL_CONTROL);
        vars.put("DB_MIGRATION_PASSWORD", CELL_CONTROL);
        vars.put("DB_POOL_MAX", CELL_CONTROL);
        vars.put("REDIS_URL", CELL_GATEWAY);
        vars.put("KAFKA_BOOTSTRAP_SERVERS", ALL_ROLES);
        vars.put("OPERATOR_TOKEN", CONTROL);
        vars.put("PLATFORM_DOMAIN", CONTROL_GATEWAY);
        vars.put("HEARTBEAT_INTERVAL", CELL_CONTROL);
        vars.put("LOG_JSON", ALL_ROLES);
        return vars;
    }

    // ---------------------------------------------------------------------------------------------
    // compose.yaml: the application nodes

    @Test
    void everyApplicationServiceSetsAValidRoleAndOnlyVariablesTheApplicationReads() {
        Map<String, Set<NodeRole>> known = applicationVariables();
        Map<String, Map<String, String>> apps = applicationServices();
        assertFalse(apps.isEmpty(), "compose.yaml has no application service");
        apps.forEach((service, env) -> {
            String role = env.get(NodeRole.VARIABLE);
            assertNotNull(role, service + ": sets no " + NodeRole.VARIABLE);
            roleOf(service, env);
            Set<String> unknown = new TreeSet<>(env.keySet());
            unknown.removeAll(known.keySet());
            assertTrue(unknown.isEmpty(), service + " sets variables the application does not read: " + unknown
                    + " (known: " + known.keySet() + ", from " + variablesSource() + ")");
        });
    }

    @Test
    void everyApplicationServiceSetsExactlyTheVariablesOfItsRole() {
        Map<String, Set<NodeRole>> known = applicationVariables();
        applicationServices().forEach((service, env) -> {
            NodeRole role = roleOf(service, env);
            Set<String> expected = known.entrySet().stream()
                    .filter(e -> e.getValue().contains(role))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, new TreeSet<>(env.keySet()),
                    service + " (" + role.value() + ") must set every variable its role reads, and no other"
                            + " (per " + variablesSource() + ")");
        });
    }

    @Test
    void thereIsAControlPlaneAGatewayAndTwoCells() {
        Map<NodeRole, Integer> count = new HashMap<>();
        applicationServices().forEach((service, env) -> count.merge(roleOf(service, env), 1, Integer::sum));
        assertEquals(1, count.getOrDefault(NodeRole.CONTROL, 0), "control services");
        assertTrue(count.getOrDefault(NodeRole.GATEWAY, 0) >= 1, "at least one gateway service");
        assertTrue(count.getOrDefault(NodeRole.CELL, 0) >= 2, "at least two cell services");
    }

    @Test
    void cellsHaveUniqueValidIdsAndTheirOwnPublicUrl() {
        Set<String> ids = new HashSet<>();
        applicationServices().forEach((service, env) -> {
            if (roleOf(service, env) != NodeRole.CELL) {
                return;
            }
            String id = env.get(CellId.VARIABLE);
            assertNotNull(id, service + ": a cell must set " + CellId.VARIABLE);
            try {
                new CellId(id);
            } catch (IllegalArgumentException e) {
                fail(service + ": " + e.getMessage());
            }
            assertTrue(ids.add(id), service + ": " + CellId.VARIABLE + "=" + id + " is used by another cell");
            assertEquals("http://" + service + ":" + env.get("HTTP_PORT"), env.get("PUBLIC_URL"),
                    service + ": PUBLIC_URL must be where other containers reach this cell");
        });
        assertTrue(ids.size() >= 2, "at least two cells");
    }

    @Test
    void controlRequiresAnOperatorTokenAndHasItsDatabase() {
        applicationServices().forEach((service, env) -> {
            if (roleOf(service, env) != NodeRole.CONTROL) {
                return;
            }
            String token = env.get("OPERATOR_TOKEN");
            assertNotNull(token, service + ": control must set OPERATOR_TOKEN");
            assertTrue(token.startsWith("${OPERATOR_TOKEN:?"),
                    service + ": OPERATOR_TOKEN must come from the environment and be required"
                            + " (${OPERATOR_TOKEN:?...}), never a default written in the file; was " + token);
            assertNotNull(env.get("DB_URL"), service + ": control must set DB_URL");
        });
    }

    @Test
    void gatewaysHaveRedisAndNoDatabase() {
        applicationServices().forEach((service, env) -> {
            if (roleOf(service, env) != NodeRole.GATEWAY) {
                return;
            }
            assertNotNull(env.get("REDIS_URL"), service + ": a gateway must set REDIS_URL");
            assertFalse(env.containsKey("DB_URL"), service + ": a gateway has no database, it must not set DB_URL");
        });
    }

    @Test
    void everyNodeListensOnAllInterfacesAndReachesKafka() {
        applicationServices().forEach((service, env) -> {
            assertEquals("0.0.0.0", env.get("HTTP_HOST"), service + ": HTTP_HOST in a container");
            assertNotNull(env.get("KAFKA_BOOTSTRAP_SERVERS"), service + ": KAFKA_BOOTSTRAP_SERVERS");
            String port = env.get("HTTP_PORT");
            assertNotNull(port, service + ": HTTP_PORT");
            for (String published : strings(service(service).get("ports"))) {
                String[] parts = published.split(":");
                assertEquals(port, parts[parts.length - 1],
                        service + ": published port " + published + " must target HTTP_PORT");
            }
        });
    }

    @Test
    void nodesDependOnTheHealthyInfrastructureTheyAreConfiguredWith() {
        Map<String, String> dbOfCell = new HashMap<>();
        Map<String, String> redisOfCell = new HashMap<>();
        applicationServices().forEach((service, env) -> {
            Map<String, Object> definition = service(service);
            Map<String, Object> dependsOn = map(definition.get("depends_on"), service + ".depends_on");
            dependsOn.forEach((dependency, spec) -> assertEquals("service_healthy",
                    map(spec, service + ".depends_on." + dependency).get("condition"),
                    service + ": depends_on " + dependency + " must wait for condition service_healthy"));

            String kafka = env.get("KAFKA_BOOTSTRAP_SERVERS");
            assertNotNull(kafka, service + ": KAFKA_BOOTSTRAP_SERVERS");
            for (String server : kafka.split(",")) {
                assertDependsOn(service, dependsOn, hostOf(server.trim()), "KAFKA_BOOTSTRAP_SERVERS");
            }
            if (env.containsKey("REDIS_URL")) {
                Matcher redis = Pattern.compile("rediss?://(?:[^@/]*@)?([^:/]+)(?::\\d+)?/?.*").matcher(env.get("REDIS_URL"));
                assertTrue(redis.matches(), service + ": REDIS_URL " + env.get("REDIS_URL"));
                assertDependsOn(service, dependsOn, redis.group(1), "REDIS_URL");
                if (roleOf(service, env) == NodeRole.CELL) {
                    String other = redisOfCell.put(redis.group(1), service);
                    assertNull(other, service + " and " + other + " share a Redis: each cell has its own");
                }
            }
            if (env.containsKey("DB_URL")) {
                Matcher db = Pattern.compile("jdbc:postgresql://([^:/]+)(?::\\d+)?/([^?]+).*").matcher(env.get("DB_URL"));
                assertTrue(db.matches(), service + ": DB_URL " + env.get("DB_URL"));
                String dbService = db.group(1);
                assertDependsOn(service, dependsOn, dbService, "DB_URL");
                Map<String, String> dbEnv = environment(dbService);
                assertEquals(dbEnv.get("POSTGRES_DB"), db.group(2), service + ": DB_URL names the database " + dbService + " creates");
                assertEquals("storefront_app", env.get("DB_USER"), service + ": DB_USER");
                assertEquals("storefront_owner", env.get("DB_MIGRATION_USER"), service + ": DB_MIGRATION_USER");
                assertEquals(dbEnv.get("STOREFRONT_APP_PASSWORD"), env.get("DB_PASSWORD"),
                        service + ": DB_PASSWORD must be the password " + dbService + " gives storefront_app");
                assertEquals(dbEnv.get("STOREFRONT_OWNER_PASSWORD"), env.get("DB_MIGRATION_PASSWORD"),
                        service + ": DB_MIGRATION_PASSWORD must be the password " + dbService + " gives storefront_owner");
                assertTrue(strings(service(dbService).get("volumes")).contains("./postgres/init:/docker-entrypoint-initdb.d:ro"),
                        dbService + " must run docker/postgres/init/ on its first start");
                if (roleOf(service, env) == NodeRole.CELL) {
                    String other = dbOfCell.put(dbService, service);
                    assertNull(other, service + " and " + other + " share a database: each cell has its own");
                }
            }
        });
    }

    @Test
    void everyNodeHasAReadinessHealthcheck() {
        String probe = dockerfileHealthcheckScript();
        applicationServices().keySet().forEach(service -> {
            Map<String, Object> healthcheck = map(service(service).get("healthcheck"), service + ".healthcheck");
            String test = (String) healthcheck.get("test");
            assertNotNull(test, service + ": healthcheck.test");
            assertTrue(test.contains(probe), service + ": healthcheck must run " + probe + " (the image's readiness probe)");
        });
        String script = read(DOCKER.resolve("healthcheck.sh"));
        assertTrue(script.contains("/q/health/ready"), "healthcheck.sh probes /q/health/ready");
        assertTrue(script.contains("MANAGEMENT_PORT"), "healthcheck.sh probes the node's management interface (MANAGEMENT_PORT)");
        assertFalse(script.contains("HTTP_PORT}"), "healthcheck.sh must not probe HTTP_PORT: health is not served there");
    }

    @Test
    void oneImageIsBuiltOnceFromTheRepositoryRootAndRunsEveryRole() {
        Map<String, Object> services = services();
        List<String> builders = services.entrySet().stream()
                .filter(e -> map(e.getValue(), e.getKey()).containsKey("build"))
                .map(Map.Entry::getKey)
                .toList();
        assertEquals(1, builders.size(), "exactly one service builds the image; the others reuse it: " + builders);
        Map<String, Object> builder = service(builders.get(0));
        Map<String, Object> build = map(builder.get("build"), builders.get(0) + ".build");
        assertTrue(build.get("context") instanceof String && build.get("dockerfile") instanceof String,
                "build: needs context and dockerfile");
        Path context = DOCKER.resolve((String) build.get("context")).normalize();
        assertEquals(ROOT.normalize(), context, "build context must be the repository root");
        assertEquals(DOCKERFILE.normalize(), context.resolve((String) build.get("dockerfile")).normalize(), "build.dockerfile");

        Object image = builder.get("image");
        assertNotNull(image, builders.get(0) + ": the built image needs a name the other nodes can reuse");
        Map<String, Map<String, String>> apps = applicationServices();
        Set<String> withRole = services.keySet().stream()
                .filter(s -> environment(s).containsKey(NodeRole.VARIABLE))
                .collect(Collectors.toSet());
        assertEquals(withRole, apps.keySet(), "every service that sets " + NodeRole.VARIABLE + " runs the one storefront image");
        Set<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
        apps.forEach((service, env) -> roles.add(roleOf(service, env)));
        assertEquals(ALL_ROLES, roles, "the one image runs every role");

        String ignore = read(DOCKERIGNORE);
        for (String excluded : List.of("target/", ".infra/", ".platform/", ".git/")) {
            assertTrue(ignore.lines().map(String::trim).anyMatch(excluded::equals),
                    "Dockerfile.dockerignore must exclude " + excluded);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Dockerfile

    @Test
    void dockerfileDoesNotBakeInARole() {
        for (String instruction : dockerInstructions()) {
            assertFalse(instruction.contains(NodeRole.VARIABLE) || instruction.contains(NodeRole.PROPERTY),
                    "the image must not choose a role (one image for every role): " + instruction);
            assertFalse(instruction.contains(CellId.VARIABLE),
                    "the image must not choose a cell: " + instruction);
        }
    }

    @Test
    void dockerfileRunsTheFastJarAsAnUnprivilegedUserOnAllInterfaces() {
        List<String> runtime = runtimeStage();
        List<String> entrypoints = runtime.stream().filter(i -> keyword(i).equals("ENTRYPOINT")).toList();
        assertEquals(1, entrypoints.size(), "one ENTRYPOINT in the runtime stage: " + entrypoints);
        String entrypoint = entrypoints.get(0).substring("ENTRYPOINT".length()).trim();
        assertTrue(entrypoint.startsWith("[") && entrypoint.endsWith("]"),
                "ENTRYPOINT in exec form (java is PID 1 and receives SIGTERM): " + entrypoint);
        List<String> argv = jsonStrings(entrypoint);
        assertTrue(argv.get(0).equals("java") || argv.get(0).endsWith("/java"), "ENTRYPOINT runs java: " + argv);
        int jar = argv.indexOf("-jar");
        assertTrue(jar > 0 && jar + 1 < argv.size(), "ENTRYPOINT runs java -jar: " + argv);
        String jarPath = argv.get(jar + 1);
        assertTrue(jarPath.endsWith("/quarkus-run.jar"), "ENTRYPOINT runs quarkus-run.jar: " + argv);
        assertTrue(argv.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), "heap sized from the container limit: " + argv);

        String deployments = jarPath.substring(0, jarPath.lastIndexOf('/') + 1);
        for (String layer : List.of("lib/", "app/", "quarkus/")) {
            assertTrue(runtime.stream().anyMatch(i -> keyword(i).equals("COPY")
                    && i.contains("target/quarkus-app/" + layer) && i.trim().endsWith(deployments + layer)),
                    "the runtime stage copies target/quarkus-app/" + layer + " to " + deployments + layer);
        }
        assertTrue(runtime.stream().anyMatch(i -> keyword(i).equals("COPY")
                && i.contains("target/quarkus-app/*.jar") && i.trim().endsWith(deployments)),
                "the runtime stage copies target/quarkus-app/*.jar (quarkus-run.jar) to " + deployments);

        List<String> users = runtime.stream().filter(i -> keyword(i).equals("USER")).toList();
        assertFalse(users.isEmpty(), "the runtime stage sets a USER");
        String user = users.get(users.size() - 1).substring("USER".length()).trim().split(":")[0];
        assertFalse(user.equals("root") || user.equals("0"), "the process must not run as root");

        assertTrue(runtime.stream().anyMatch(i -> keyword(i).equals("ENV") && i.matches(".*\\bHTTP_HOST=0\\.0\\.0\\.0\\b.*")),
                "the image sets HTTP_HOST=0.0.0.0");
        assertTrue(runtime.stream().anyMatch(i -> keyword(i).equals("HEALTHCHECK") && i.contains(dockerfileHealthcheckScript())),
                "the image has a HEALTHCHECK running its readiness probe");
        assertTrue(dockerInstructions().stream().anyMatch(i -> keyword(i).equals("RUN")
                && i.contains("mvnw") && i.contains("package") && i.contains("-DskipTests")),
                "the build stage packages the application with the Maven wrapper");
    }

    // ---------------------------------------------------------------------------------------------
    // database initialisation

    @Test
    void initSqlCreatesAnApplicationRoleThatOwnsNothingAndCannotBypassRowLevelSecurity() {
        List<Statement> statements = initStatements();
        Statement create = statements.stream()
                .filter(s -> s.sql().matches("(?i)CREATE ROLE storefront_app\\b.*"))
                .findFirst()
                .orElseGet(() -> fail("docker/postgres/init/ must CREATE ROLE storefront_app"));
        Set<String> attributes = roleAttributes(create.sql());
        assertTrue(attributes.containsAll(Set.of("LOGIN", "NOSUPERUSER", "NOBYPASSRLS")),
                "storefront_app must be created LOGIN NOSUPERUSER NOBYPASSRLS: " + create.sql());
        Map<String, Set<String>> effective = roleAttributesByRole(statements);
        Set<String> forbidden = new TreeSet<>(effective.getOrDefault("storefront_app", Set.of()));
        forbidden.retainAll(Set.of("SUPERUSER", "BYPASSRLS", "CREATEDB", "CREATEROLE", "REPLICATION", "IN", "ROLE", "ADMIN", "USER"));
        assertTrue(forbidden.isEmpty(), "storefront_app must have no privileged attribute or role membership: " + forbidden);

        for (Statement s : statements) {
            String sql = s.sql().toUpperCase(Locale.ROOT);
            assertFalse(sql.matches(".*\\bOWNER\\s+(TO\\s+)?STOREFRONT_APP\\b.*"),
                    "storefront_app must own nothing: " + s.sql());
            assertFalse(sql.matches("GRANT\\s+(?!.*\\bON\\b).*\\bTO\\s+STOREFRONT_APP\\b.*"),
                    "storefront_app must not be granted a role (membership would let it act as the owner): " + s.sql());
        }
        Set<String> sql = statements.stream().map(Statement::sql).collect(Collectors.toSet());
        assertTrue(sql.contains("ALTER SCHEMA public OWNER TO storefront_owner"), "schema public is owned by storefront_owner");
        assertTrue(sql.stream().anyMatch(s -> s.matches("ALTER DATABASE \\S+ OWNER TO storefront_owner")),
                "the database is owned by storefront_owner");
    }

    @Test
    void initSqlMirrorsTheLocalSetup() throws IOException {
        List<Statement> docker = initStatements();
        List<Statement> infra = new ArrayList<>();
        try (Stream<Path> files = Files.list(INFRA_SQL_DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                infra.addAll(sqlStatements(read(file)));
            }
        }
        assertFalse(infra.isEmpty(), "no statements in " + INFRA_SQL_DIR);
        assertEquals(roleAttributesByRole(infra), roleAttributesByRole(docker),
                "docker/postgres/init/ must give storefront_owner and storefront_app the attributes infra/postgres/roles.sql gives them");

        Set<String> dockerSql = docker.stream().map(Statement::sql).collect(Collectors.toSet());
        List<String> missing = infra.stream()
                .filter(s -> !s.generated() && !isRoleStatement(s.sql()))
                .map(Statement::sql)
                .filter(s -> !dockerSql.contains(s))
                .toList();
        assertTrue(missing.isEmpty(), "docker/postgres/init/ lacks statements of infra/postgres/: " + missing);
    }

    // ---------------------------------------------------------------------------------------------
    // README's configuration table

    /** The variables the application reads, with the roles that read each. */
    private static Map<String, Set<NodeRole>> applicationVariables() {
        return readmeVariables().orElse(FALLBACK_VARIABLES);
    }

    private static String variablesSource() {
        return readmeVariables().isPresent() ? "README.md's configuration table" : "the test's fallback list";
    }

    private static final Pattern VARIABLE_ROW = Pattern.compile("^\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|.*");

    /** The configuration table of README.md: the markdown table that has a {@code STOREFRONT_ROLE} row. */
    static Optional<Map<String, Set<NodeRole>>> readmeVariables() {
        if (!Files.isRegularFile(README)) {
            return Optional.empty();
        }
        List<List<String>> tables = new ArrayList<>();
        List<String> current = null;
        for (String line : read(README).lines().toList()) {
            if (line.trim().startsWith("|")) {
                if (current == null) {
                    current = new ArrayList<>();
                    tables.add(current);
                }
                current.add(line.trim());
            } else {
                current = null;
            }
        }
        for (List<String> table : tables) {
            boolean isConfiguration = table.stream().anyMatch(l -> {
                Matcher m = VARIABLE_ROW.matcher(l);
                return m.matches() && m.group(1).equals(NodeRole.VARIABLE);
            });
            if (!isConfiguration) {
                continue;
            }
            List<String> header = cells(table.get(0));
            int rolesColumn = -1;
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i).toLowerCase(Locale.ROOT);
                if (h.equals("roles") || h.equals("role")) {
                    rolesColumn = i;
                }
            }
            Map<String, Set<NodeRole>> vars = new LinkedHashMap<>();
            for (String row : table) {
                Matcher m = VARIABLE_ROW.matcher(row);
                if (!m.matches()) {
                    continue;
                }
                String name = m.group(1);
                List<String> cells = cells(row);
                Set<NodeRole> roles = rolesColumn >= 0 && rolesColumn < cells.size() ? parseRoles(cells.get(rolesColumn)) : Set.of();
                if (roles.isEmpty()) {
                    roles = FALLBACK_VARIABLES.getOrDefault(name, ALL_ROLES);
                }
                vars.put(name, roles);
            }
            return Optional.of(vars);
        }
        return Optional.empty();
    }

    private static List<String> cells(String row) {
        String inner = row.trim();
        inner = inner.substring(1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::trim).toList();
    }

    /** "all", or role names ("cell, control"); empty if the cell names no role. */
    private static Set<NodeRole> parseRoles(String cell) {
        Set<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
        for (String word : cell.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (word.equals("all")) {
                return ALL_ROLES;
            }
            for (NodeRole role : NodeRole.values()) {
                if (role.value().equals(word)) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    // ---------------------------------------------------------------------------------------------
    // compose.yaml access

    private static Map<String, Object> compose() {
        return MiniYaml.parse(read(COMPOSE));
    }

    private static Map<String, Object> services() {
        return map(compose().get("services"), "services");
    }

    private static Map<String, Object> service(String name) {
        return map(services().get(name), "services." + name);
    }

    private static Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env == null || "".equals(env)) {
            return result;
        }
        map(env, service + ".environment").forEach((k, v) -> {
            assertTrue(v instanceof String, service + ".environment." + k + " must be a scalar");
            result.put(k, (String) v);
        });
        return result;
    }

    /** Services running the storefront image (the built one), with their environment. */
    private static Map<String, Map<String, String>> applicationServices() {
        Map<String, Object> services = services();
        Optional<Object> image = services.values().stream()
                .map(s -> map(s, "service"))
                .filter(s -> s.containsKey("build"))
                .map(s -> s.get("image"))
                .findFirst();
        Map<String, Map<String, String>> apps = new TreeMap<>();
        services.forEach((name, definition) -> {
            Map<String, Object> d = map(definition, name);
            if (d.containsKey("build") || (image.isPresent() && image.get().equals(d.get("image")))) {
                apps.put(name, environment(name));
            }
        });
        return apps;
    }

    private static NodeRole roleOf(String service, Map<String, String> env) {
        String raw = env.get(NodeRole.VARIABLE);
        try {
            NodeRole role = NodeRole.parse(raw);
            assertEquals(role.value(), raw, service + ": " + NodeRole.VARIABLE + " is written in lower case");
            return role;
        } catch (IllegalArgumentException e) {
            return fail(service + ": " + e.getMessage());
        }
    }

    private static void assertDependsOn(String service, Map<String, Object> dependsOn, String host, String variable) {
        assertTrue(services().containsKey(host), service + ": " + variable + " names host " + host + ", which is no compose service");
        assertTrue(dependsOn.containsKey(host), service + ": uses " + host + " (" + variable + ") so it must depend_on it");
        assertTrue(service(host).containsKey("healthcheck"), host + " needs a healthcheck for condition service_healthy");
    }

    private static String hostOf(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertTrue(value instanceof Map, what + " must be a mapping in compose.yaml, was " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        assertTrue(value instanceof List, "expected a list in compose.yaml, was " + value);
        return (List<String>) value;
    }

    // ---------------------------------------------------------------------------------------------
    // Dockerfile access

    /** Instructions with their continuation lines joined; comments and blank lines dropped. */
    private static List<String> dockerInstructions() {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : read(DOCKERFILE).lines().toList()) {
            String line = raw.trim();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                instructions.add(current.toString().replaceAll("\\s+", " ").trim());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().trim());
        }
        return instructions;
    }

    private static List<String> runtimeStage() {
        List<String> all = dockerInstructions();
        int from = -1;
        for (int i = 0; i < all.size(); i++) {
            if (keyword(all.get(i)).equals("FROM")) {
                from = i;
            }
        }
        assertTrue(from >= 0, "Dockerfile has no FROM");
        return all.subList(from, all.size());
    }

    private static String keyword(String instruction) {
        int space = instruction.indexOf(' ');
        return (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** Where the Dockerfile installs docker/healthcheck.sh. */
    private static String dockerfileHealthcheckScript() {
        return runtimeStage().stream()
                .filter(i -> keyword(i).equals("COPY") && i.contains("docker/healthcheck.sh"))
                .map(i -> i.substring(i.lastIndexOf(' ') + 1))
                .findFirst()
                .orElseGet(() -> fail("the runtime stage must COPY docker/healthcheck.sh into the image"));
    }

    private static List<String> jsonStrings(String array) {
        List<String> result = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(array);
        while (m.find()) {
            result.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // SQL access

    /** One SQL statement, whitespace-normalised; generated = text of a query run by psql's \gexec. */
    record Statement(String sql, boolean generated) {
    }

    private static List<Statement> initStatements() {
        try (Stream<Path> files = Files.list(INIT_SQL_DIR)) {
            List<Path> all = files.sorted().toList();
            List<Path> other = all.stream().filter(f -> !f.toString().endsWith(".sql")).toList();
            assertTrue(other.isEmpty(), "docker/postgres/init/ must hold only .sql files (so this test sees all of it): " + other);
            List<Statement> statements = new ArrayList<>();
            for (Path file : all) {
                statements.addAll(sqlStatements(read(file)));
            }
            assertFalse(statements.isEmpty(), "no SQL in " + INIT_SQL_DIR);
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Statements of a psql script: comments and meta-command lines dropped, {@code \gexec} ends a
     * statement like {@code ;}, and a {@code CREATE ROLE} inside a \gexec query counts as well.
     */
    static List<Statement> sqlStatements(String script) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : script.lines().toList()) {
            int comment = raw.indexOf("--");
            String line = (comment >= 0 ? raw.substring(0, comment) : raw).trim();
            if (line.isEmpty() || line.startsWith("\\")) {
                continue;
            }
            int gexec = line.indexOf("\\gexec");
            if (gexec >= 0) {
                current.append(line, 0, gexec);
                String sql = normalise(current.toString());
                Matcher role = Pattern.compile("'((?:CREATE|ALTER) ROLE [^']*)'").matcher(sql);
                while (role.find()) {
                    statements.add(new Statement(normalise(role.group(1)), true));
                }
                statements.add(new Statement(sql, true));
                current.setLength(0);
                continue;
            }
            for (char c : (line + " ").toCharArray()) {
                if (c == ';') {
                    String sql = normalise(current.toString());
                    if (!sql.isEmpty()) {
                        statements.add(new Statement(sql, false));
                    }
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
        }
        String rest = normalise(current.toString());
        if (!rest.isEmpty()) {
            statements.add(new Statement(rest, false));
        }
        return statements;
    }

    private static String normalise(String sql) {
        return sql.replaceAll("\\s+", " ").trim();
    }

    private static final Pattern ROLE_STATEMENT = Pattern.compile("(?i)(?:CREATE|ALTER) ROLE (\\w+)(.*)");

    private static boolean isRoleStatement(String sql) {
        return ROLE_STATEMENT.matcher(sql).matches();
    }

    /** Attribute keywords of a CREATE/ALTER ROLE statement, without WITH and the password. */
    private static Set<String> roleAttributes(String sql) {
        Matcher m = ROLE_STATEMENT.matcher(sql);
        assertTrue(m.matches(), "not a role statement: " + sql);
        String rest = m.group(2).replaceAll("(?i)\\bPASSWORD\\s+(?::?'(?:[^']|'')*'|:\"[^\"]*\"|NULL|\\S+)", " ");
        Set<String> attributes = new TreeSet<>();
        for (String word : rest.trim().split("\\s+")) {
            if (!word.isEmpty() && !word.equalsIgnoreCase("WITH")) {
                attributes.add(word.toUpperCase(Locale.ROOT));
            }
        }
        return attributes;
    }

    /** Every storefront role's attributes, accumulated over the statements that create or alter it. */
    private static Map<String, Set<String>> roleAttributesByRole(List<Statement> statements) {
        Map<String, Set<String>> byRole = new TreeMap<>();
        for (Statement s : statements) {
            Matcher m = ROLE_STATEMENT.matcher(s.sql());
            if (m.matches()) {
                byRole.computeIfAbsent(m.group(1).toLowerCase(Locale.ROOT), r -> new TreeSet<>()).addAll(roleAttributes(s.sql()));
            }
        }
        return byRole;
    }

    // ---------------------------------------------------------------------------------------------
    // files

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src"))) {
                return d;
            }
        }
        return dir;
    }

    private static String read(Path file) {
        assertTrue(Files.isRegularFile(file), "missing " + ROOT.relativize(file));
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The subset of YAML compose.yaml is written in: nested block mappings ({@code key:} /
     * {@code key: value}), block lists of scalars ({@code - value}) indented under their key,
     * double- or single-quoted or plain scalars, flow sequences and mappings kept as their text,
     * full-line and trailing comments. Anchors, aliases, merge keys, tags, multi-line scalars,
     * tabs and mappings inside list items are rejected with the line number.
     */
    static final class MiniYaml {

        private record Line(int number, int indent, String content) {
        }

        private final List<Line> lines;
        private int pos;

        private MiniYaml(List<Line> lines) {
            this.lines = lines;
        }

        static Map<String, Object> parse(String text) {
            List<Line> lines = new ArrayList<>();
            int number = 0;
            for (String raw : text.lines().toList()) {
                number++;
                String line = stripComment(raw).stripTrailing();
                if (line.isBlank() || line.equals("---")) {
                    continue;
                }
                int indent = 0;
                while (indent < line.length() && line.charAt(indent) == ' ') {
                    indent++;
                }
                if (line.charAt(indent) == '\t') {
                    fail("compose.yaml line " + number + ": tab in indentation");
                }
                lines.add(new Line(number, indent, line.substring(indent)));
            }
            MiniYaml yaml = new MiniYaml(lines);
            if (lines.isEmpty()) {
                return new LinkedHashMap<>();
            }
            Map<String, Object> root = yaml.mapping(lines.get(0).indent());
            if (yaml.pos < lines.size()) {
                Line l = lines.get(yaml.pos);
                fail("compose.yaml line " + l.number() + ": unexpected indentation");
            }
            return root;
        }

        private Object block(int indent) {
            return lines.get(pos).content().startsWith("- ") ? list(indent) : mapping(indent);
        }

        private Map<String, Object> mapping(int indent) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (pos < lines.size() && lines.get(pos).indent() == indent) {
                Line line = lines.get(pos);
                if (line.content().startsWith("-")) {
                    fail("compose.yaml line " + line.number() + ": list item where a key was expected"
                            + " (indent list items under their key)");
                }
                int colon = keyEnd(line);
                String key = unquote(line.content().substring(0, colon).trim(), line);
                String rest = line.content().substring(colon + 1).trim();
                pos++;
                Object value;
                if (rest.isEmpty()) {
                    value = pos < lines.size() && lines.get(pos).indent() > indent ? block(lines.get(pos).indent()) : "";
                } else {
                    value = scalar(rest, line);
                }
                if (map.put(key, value) != null) {
                    fail("compose.yaml line " + line.number() + ": duplicate key " + key);
                }
            }
            if (pos < lines.size() && lines.get(pos).indent() > indent) {
                fail("compose.yaml line " + lines.get(pos).number() + ": unexpected indentation");
            }
            return map;
        }

        private List<String> list(int indent) {
            List<String> list = new ArrayList<>();
            while (pos < lines.size() && lines.get(pos).indent() == indent && lines.get(pos).content().startsWith("- ")) {
                Line line = lines.get(pos);
                String item = line.content().substring(2).trim();
                if (keyEndOrMinus(item) >= 0) {
                    fail("compose.yaml line " + line.number() + ": mappings inside list items are not supported");
                }
                list.add(scalar(item, line));
                pos++;
            }
            if (pos < lines.size() && lines.get(pos).indent() > indent) {
                fail("compose.yaml line " + lines.get(pos).number() + ": unexpected indentation");
            }
            return list;
        }

        /** Index of the colon ending the key (followed by a space or the end of the line), outside quotes. */
        private static int keyEnd(Line line) {
            int end = keyEndOrMinus(line.content());
            if (end < 0) {
                fail("compose.yaml line " + line.number() + ": expected `key:` or `key: value`");
            }
            return end;
        }

        private static int keyEndOrMinus(String s) {
            char quote = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    if (i == 0) {
                        quote = c;
                    }
                } else if (c == '[' || c == '{') {
                    return -1;
                } else if (c == ':' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                    return i;
                }
            }
            return -1;
        }

        private static String scalar(String text, Line line) {
            char first = text.charAt(0);
            if (first == '&' || first == '*' || first == '!' || first == '|' || first == '>' || text.startsWith("<<")) {
                fail("compose.yaml line " + line.number() + ": unsupported YAML (anchor, alias, tag, merge key or"
                        + " multi-line scalar): " + text);
            }
            if (first == '[' || first == '{') {
                char close = first == '[' ? ']' : '}';
                if (!text.endsWith(String.valueOf(close))) {
                    fail("compose.yaml line " + line.number() + ": flow collection must end on its line");
                }
                return text;
            }
            return unquote(text, line);
        }

        private static String unquote(String text, Line line) {
            if (text.startsWith("\"")) {
                if (text.length() < 2 || !text.endsWith("\"")) {
                    fail("compose.yaml line " + line.number() + ": unterminated string " + text);
                }
                String inner = text.substring(1, text.length() - 1);
                if (inner.matches(".*\\\\[^\\\\\"].*")) {
                    fail("compose.yaml line " + line.number() + ": escape sequences other than \\\\ and \\\" are not supported");
                }
                return inner.replace("\\\"", "\"").replace("\\\\", "\\");
            }
            if (text.startsWith("'")) {
                if (text.length() < 2 || !text.endsWith("'")) {
                    fail("compose.yaml line " + line.number() + ": unterminated string " + text);
                }
                return text.substring(1, text.length() - 1).replace("''", "'");
            }
            return text;
        }

        /** Drops a comment: '#' at the start of the content or after whitespace, outside quotes. */
        private static String stripComment(String line) {
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == '\\' && quote == '"') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return line.substring(0, i);
                }
            }
            return line;
        }
    }
}
