/**
 * Shared kernel of every node: the node's role ({@link platform.NodeRole}, chosen at startup with
 * {@code STOREFRONT_ROLE}), its configuration ({@link platform.StorefrontConfig}) and the RFC 9457
 * problem body ({@link platform.Problem}) that every module answers errors with, the transactional
 * outbox ({@link platform.Outbox}), idempotency keys bound to their request
 * ({@link platform.Idempotency}), fallbacks that are counted and logged, never silent
 * ({@link platform.Fallbacks}), password hashing ({@link platform.Passwords}, configured and
 * bounded; {@link platform.PasswordHashes}, the Argon2id and earlier PBKDF2 formats) and the sealing
 * of credentials for one recipient ({@link platform.SealedBox}), and the HTTP caching words cells and
 * gateways share: entity tags ({@link platform.EntityTags}) and surrogate keys
 * ({@link platform.SurrogateKeys}). {@code platform.bulkhead}: the cell node's bulkheads, which
 * admit every database transaction for its tenant and traffic class and set its timeouts
 * ({@link platform.bulkhead.TenantBulkhead}, {@link platform.bulkhead.Traffic}).
 *
 * <p>{@code platform.internal} holds how a role is turned into runtime switches (datasources,
 * persistence units, Kafka channels, endpoints, schedulers), schema migration at startup,
 * role-aware health checks, common metric tags, error mapping, the outbox relay and its clean-up,
 * the idempotency store, the fallback counters with their rate-limited log ({@code failures}), the
 * password hasher's turns and check-time estimate, and the bulkheads' limiter ({@code bulkhead}).
 *
 * <p>Events: none. Allowed dependencies: none (every other module may depend on this one).
 *
 * @see architecture.ModularityTest
 */
package platform;
