/**
 * The merchant admin of a shop on a cell: server-rendered pages under {@code /admin} and the admin
 * API, working through the catalog and orders facades.
 *
 * <p>API: none (it serves HTTP only); {@code admin.internal}: pages, sessions, staff accounts.
 *
 * <p>Allowed dependencies: catalog, orders, lifecycle, tenancy, platform.
 *
 * @see architecture.ModularityTest
 */
package admin;
