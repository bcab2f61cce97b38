package storefront;

import storefront.tools.cluster.FreePorts;

/**
 * Ports for a local cluster test, all from one free range so that they cannot overlap: the
 * database, N nodes' HTTP, remoting and management ports, and a load balancer.
 */
public record ClusterPorts(
    int database, int httpBase, int remoteBase, int managementBase, int haproxy) {

  public static ClusterPorts free(int nodes) {
    return after(FreePorts.range(2 + 3 * nodes), 1, nodes);
  }

  /** The same for a replicated database, whose two data nodes and monitor take three ports. */
  public static ClusterPorts freeForReplicatedDatabase(int nodes) {
    return after(FreePorts.range(4 + 3 * nodes), 3, nodes);
  }

  private static ClusterPorts after(int base, int databasePorts, int nodes) {
    int nodesBase = base + databasePorts;
    return new ClusterPorts(
        base, nodesBase, nodesBase + nodes, nodesBase + 2 * nodes, nodesBase + 3 * nodes);
  }
}
