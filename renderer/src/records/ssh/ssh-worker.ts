/// <reference lib="webworker" />
import { runSshTask, type SshTask } from './ssh-task.ts';

/** One task per worker: the client terminates it after the reply, dropping every key copy. */
self.onmessage = (event: MessageEvent<SshTask>) => {
  void runSshTask(event.data).then((reply) => self.postMessage(reply));
};
