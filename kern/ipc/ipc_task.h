/* SPDX-License-Identifier: MIT
 * PLACEHOLDER (being written): a task's IPC state.
 */
#ifndef _IPC_IPC_TASK_H_
#define _IPC_IPC_TASK_H_

struct ipc_task {
    int placeholder;
};

#endif
