// One thread of a store build (buildStore.ts): seals and writes the segments it was given. A failure
// is an unhandled rejection, which ends the thread with an 'error' event in the parent.
import { workerData } from 'worker_threads';
import { BuildJob, writeSegments } from './buildStore';

void writeSegments(workerData as BuildJob);
