/* SPDX-License-Identifier: MIT
 * PLACEHOLDER (being written): a thread's IPC state.
 */
#ifndef _IPC_IPC_THREAD_H_
#define _IPC_IPC_THREAD_H_

struct ipc_thread {
    int placeholder;
};

#endif
