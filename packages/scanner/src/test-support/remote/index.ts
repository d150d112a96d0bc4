export {
  VirtualObject,
  sparseSafetensors,
  sparseTorchZip,
} from './virtualObject';
export {
  ServedBytes,
  listen,
  sendObject,
  type Fault,
  type RunningServer,
} from './rangeServer';
export { startFakeHub, type FakeHub, type FakeHubRepo } from './fakeHub';
export { startFakeS3, type FakeS3 } from './fakeS3';
export {
  startFakeMlflow,
  type FakeMlflow,
  type FakeMlflowVersion,
} from './fakeMlflow';
export { startFakeGcs, type FakeGcs } from './fakeGcs';
export { startFakeAzure, type FakeAzure } from './fakeAzure';
export { torchStateDictPickle } from './torchPickle';
