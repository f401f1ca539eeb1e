import { ShelfwiseError } from '../../shared/errors';

/**
 * Another run of the same shop published while this one fitted: its version is left unpublished
 * (recorded `superseded`) rather than replace a version trained on newer data. Retrying is safe:
 * the next attempt starts from what serves now.
 */
export class ConcurrentPublishError extends ShelfwiseError {
  constructor(
    readonly shop: string,
    readonly versionId: number,
    readonly servingVersion: string | null,
  ) {
    super(`version ${versionId} of ${shop} not published: version ${servingVersion ?? '(none)'} was published by another run while it fitted`);
  }
}
