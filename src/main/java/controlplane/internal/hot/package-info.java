/**
 * Hot-tenant detection: the shops whose share of their cell's load stays above a threshold, from the
 * load the cells report in their heartbeats, listed for operators as move candidates and kept out of
 * placement's way (a cell whose candidates use most of it takes no new shop). See
 * docs/adr/0018-hot-tenant-detection.md.
 */
package controlplane.internal.hot;
