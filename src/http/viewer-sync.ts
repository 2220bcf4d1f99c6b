/**
 * Read-your-writes for the viewer cache: a mutation's response waits until
 * this instance has processed the invalidations its commit announced, so the
 * client's next request here never meets the viewer it just changed (a
 * revoked token, a disabled user, a removed membership). Other instances
 * process the same notifications as they arrive.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../access/context';
import type { ViewerCache } from '../access/viewer-cache';

export function viewerSyncPlugin(cache: ViewerCache): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          if (rc.operation?.operation === 'mutation') await cache.sync();
        },
      };
    },
  };
}
