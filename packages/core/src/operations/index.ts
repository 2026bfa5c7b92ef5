import type { Operation } from '../contract/operation.js'
import { envOperation } from './env.js'
import { faultsOperation } from './faults.js'
import { imageOperation } from './image.js'
import { initOperation } from './init.js'
import { kernelOperation } from './kernel.js'
import { linkOperation } from './link.js'
import { mkcdromOperation } from './mkcdrom.js'
import { netemOperation } from './netem.js'
import { cplibOperation, cploaderOperation, installProgOperation, ovldOperation } from './overlay-helpers.js'
import { rcpOperation } from './rcp.js'
import { rshOperation } from './rsh.js'
import { scaleinOperation } from './scalein.js'
import { scaleoutOperation } from './scaleout.js'
import { snapshotOperation } from './snapshot.js'
import { startOperation } from './start.js'
import { statusOperation } from './status.js'
import { stopOperation } from './stop.js'
import { tcpdumpOperation } from './tcpdump.js'
import { vmOperation } from './vm.js'
import { contVmOperation, resetVmOperation, stopVmOperation } from './vm-control.js'

/** Core's operations, in the order `xcluster --help` lists them. */
export const CORE_OPERATIONS: Operation[] = [
  startOperation,
  stopOperation,
  statusOperation,
  scaleoutOperation,
  scaleinOperation,
  vmOperation,
  stopVmOperation,
  contVmOperation,
  resetVmOperation,
  linkOperation,
  faultsOperation,
  snapshotOperation,
  rshOperation,
  tcpdumpOperation,
  netemOperation,
  rcpOperation,
  mkcdromOperation,
  imageOperation,
  kernelOperation,
  envOperation,
  ovldOperation,
  installProgOperation,
  cplibOperation,
  cploaderOperation,
  initOperation,
]
