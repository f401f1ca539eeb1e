export { createTrainWorker, TRAIN_FROM_LOG, type TrainWorker, type TrainWorkerOptions } from './worker';
export { createTrainProcessor, SHUTDOWN, type TrainJobResult, type TrainProcessorDeps, type AbortableFit } from './processor';
export { enqueueTraining, trainDeduplicationId, TRAIN_JOB, type EnqueueTrainingOptions } from './enqueue';
export { scheduleTraining, stopShopTraining, trainSchedulerId, TRAIN_SCHEDULE_JOB } from './schedule';
export { createNewOrdersTrigger, newOrdersKey, type NewOrdersTrigger, type NewOrderCounted } from './new-orders-trigger';
export { fitInChildProcess, FIT_CHILD_ENTRY, type ChildFitRequest } from './fit-in-child-process';
export { FitAbortedError, FitCrashedError, FitFailedError } from './errors';
