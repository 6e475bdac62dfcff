import type pg from 'pg';

/** The channel on which the database announces changes to sessions, API tokens and users. */
export const principalChangesChannel = 'steward_principals';

/** What a subscriber of the change feed is told. */
export interface ChangeFeedSubscriber {
  /** The credentials of one org changed; `null`: of every org, or announcements may be lost. */
  onChange(orgId: string | null): void;
}

/**
 * The announcements of principal changes (see the `api_hot_path` migration), heard on every
 * connection of the process's pools. A connection hears its own transaction's announcements
 * before that transaction's COMMIT answers, so a change made by this process is known before the
 * request that made it replies; changes made elsewhere arrive as soon as any connection here is
 * between statements. While no connection listens, announcements can be lost: subscribers are
 * told to forget everything whenever the feed goes deaf and again once it hears.
 */
export class ChangeFeed {
  private readonly subscribers = new Set<ChangeFeedSubscriber>();
  private listening = 0;

  /** Whether at least one connection is listening, so no announcement is missed. */
  get isListening(): boolean {
    return this.listening > 0;
  }

  /** Hear the announcements on a new connection for as long as it lives. */
  attach(client: pg.Client): void {
    let isCounted = false;
    client.on('notification', (message) => {
      if (message.channel !== principalChangesChannel) return;
      const payload = message.payload ?? '*';
      this.publish(payload === '*' ? null : payload);
    });
    client.once('end', () => {
      if (!isCounted) return;
      this.listening -= 1;
      // Announcements may now go unheard until a connection listens again.
      if (this.listening === 0) this.publish(null);
    });
    client.query(`LISTEN ${principalChangesChannel}`).then(
      () => {
        isCounted = true;
        this.listening += 1;
        // Lookups that began while nobody listened may predate an unheard change.
        if (this.listening === 1) this.publish(null);
      },
      // A connection that cannot listen fails its first statement too; the pool drops it.
      () => undefined,
    );
  }

  /** Subscribe; returns the function that unsubscribes. */
  subscribe(subscriber: ChangeFeedSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private publish(orgId: string | null): void {
    for (const subscriber of this.subscribers) subscriber.onChange(orgId);
  }
}
