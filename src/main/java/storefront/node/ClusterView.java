package storefront.node;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.ClusterEvent.CurrentClusterState;
import akka.cluster.Member;
import akka.cluster.sharding.ShardRegion.ClusterShardingStats;
import akka.cluster.sharding.typed.ClusterShardingQuery;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The cluster as this node sees it, for operators: each member with its status and reachability,
 * where it serves HTTP, the shards and entities it holds of each entity type, and the orders it has
 * ended.
 */
final class ClusterView {
  /** The cluster, and which member answered. */
  record Snapshot(String servedBy, String leader, List<MemberView> members) {}

  /** Shards and their entities of one type on one member. */
  record Shards(int shards, int entities) {}

  record MemberView(
      String address,
      String status,
      boolean reachable,
      List<String> roles,
      String httpUrl,
      Map<String, Shards> shards,
      NodeDirectory.OrdersEnded ordersEnded) {}

  private final ActorSystem<?> system;
  private final NodeDirectory directory;
  private final List<EntityTypeKey<?>> entityTypes;
  private final Duration timeout;

  ClusterView(
      ActorSystem<?> system,
      NodeDirectory directory,
      List<EntityTypeKey<?>> entityTypes,
      Duration timeout) {
    this.system = system;
    this.directory = directory;
    this.entityTypes = entityTypes;
    this.timeout = timeout;
  }

  CompletionStage<Snapshot> snapshot() {
    CurrentClusterState state = Cluster.get(system).state();
    CompletableFuture<Map<String, NodeDirectory.Card>> cards =
        directory.cards().toCompletableFuture();
    Map<String, CompletableFuture<Optional<ClusterShardingStats>>> stats = new TreeMap<>();
    for (EntityTypeKey<?> type : entityTypes) {
      stats.put(type.name(), shardingStats(type));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(stats.values());
    all.add(cards);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(done -> snapshot(state, cards.join(), stats));
  }

  private Snapshot snapshot(
      CurrentClusterState state,
      Map<String, NodeDirectory.Card> cards,
      Map<String, CompletableFuture<Optional<ClusterShardingStats>>> stats) {
    List<MemberView> members = new ArrayList<>();
    for (Member member : state.getMembers()) {
      Address address = member.address();
      Map<String, Shards> shards = new TreeMap<>();
      stats.forEach(
          (type, typeStats) -> {
            var region = typeStats.join().map(all -> all.getRegions().get(address)).orElse(null);
            if (region != null) {
              int entities =
                  region.getStats().values().stream()
                      .mapToInt(count -> ((Number) count).intValue())
                      .sum();
              shards.put(type, new Shards(region.getStats().size(), entities));
            }
          });
      Optional<NodeDirectory.Card> card = Optional.ofNullable(cards.get(address.toString()));
      members.add(
          new MemberView(
              address.toString(),
              member.status().toString(),
              !state.getUnreachable().contains(member),
              member.getRoles().stream().sorted().toList(),
              card.map(NodeDirectory.Card::httpUrl).orElse(null),
              shards,
              card.map(NodeDirectory.Card::orders).orElse(null)));
    }
    members.sort(Comparator.comparing(MemberView::address));
    return new Snapshot(
        system.address().toString(),
        Optional.ofNullable(state.getLeader()).map(Address::toString).orElse(null),
        members);
  }

  /**
   * Every region's shards of the type; regions that do not answer in time are left out, and all of
   * them while the shard coordinator that lists them moves after its node died: the cluster's
   * members are shown without their shards then, rather than not at all.
   */
  private CompletableFuture<Optional<ClusterShardingStats>> shardingStats(EntityTypeKey<?> type) {
    return AskPattern.<ClusterShardingQuery, ClusterShardingStats>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetClusterShardingStats(type, timeout, replyTo),
            timeout.plusSeconds(1),
            system.scheduler())
        .thenApply(Optional::of)
        .exceptionally(unknown -> Optional.empty())
        .toCompletableFuture();
  }
}
