package storefront;

import storefront.cluster.FreePorts;

/**
 * Ports for a local cluster test, all from one free range so that they cannot overlap: the
 * database, N nodes' HTTP, remoting and management ports, and a load balancer.
 */
public record ClusterPorts(
    int database, int httpBase, int remoteBase, int managementBase, int haproxy) {

  public static ClusterPorts free(int nodes) {
    int base = FreePorts.range(2 + 3 * nodes);
    return new ClusterPorts(
        base, base + 1, base + 1 + nodes, base + 1 + 2 * nodes, base + 1 + 3 * nodes);
  }
}
