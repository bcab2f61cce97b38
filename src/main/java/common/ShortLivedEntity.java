package common;

import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.Recovery;
import akka.persistence.typed.javadsl.RetentionCriteria;

/**
 * An entity that writes a few to a few tens of events in its life (an order, a cart): it never
 * snapshots, and its recovery does not look for a snapshot, one query less for every new one. A
 * failed journal write restarts it, backing off, and it recovers from the journal.
 */
public abstract class ShortLivedEntity<C, E, S>
    extends EventSourcedBehaviorWithEnforcedReplies<C, E, S> {

  protected ShortLivedEntity(PersistenceId persistenceId) {
    super(persistenceId, EntityDefaults.ON_PERSIST_FAILURE);
  }

  @Override
  public final RetentionCriteria retentionCriteria() {
    return RetentionCriteria.disabled();
  }

  @Override
  public final Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }
}
