import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';
import { readingOf } from './support/readings.js';

/**
 * Every persisted ImplicitCollectionJobs row has a representative job:
 * `representative_job` is `.limit(1).one()`, which raises NoResultFound on an
 * ICJ with no jobs — the 500 of a map-over of an empty collection (S8).
 */
export const implicitJobsHaveRepresentative = defineExecutionProperty({
  id: 'implicit-jobs-have-representative',
  summary: 'ImplicitCollectionJobs.representative_job finds a job for every persisted ICJ',
  hazard: 'upstream model: representative_job raises NoResultFound on the ICJ of an empty map-over (MAP_OVER_EMPTY probe)',
  needs: { readers: ['ImplicitCollectionJobs.representative_job'] },
  check({ outcome }) {
    let read = 0;
    for (const icj of outcome.snapshot?.icjs ?? []) {
      const ids = readingOf(outcome, 'ImplicitCollectionJobs.representative_job', icj.id);
      if (ids !== undefined) read++;
      if (ids !== undefined && ids.length === 0) {
        return {
          kind: 'would-raise',
          table: 'implicit_collection_jobs_job_association',
          columns: [],
          constraint: 'ImplicitCollectionJobs.representative_job',
          message: `implicit collection jobs ${icj.id} has no jobs: representative_job (.limit(1).one()) raises NoResultFound`,
        };
      }
    }
    return read === 0 ? NOT_JUDGED : null;
  },
});
