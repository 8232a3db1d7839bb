/* SPDX-License-Identifier: MIT
 *
 * The server of the cross-task null RPC (null_rpc.c): not a benchmark
 * itself but a second boot module beside bench_null_rpc (run-bench.py
 * starts bench_X_server with bench_X; by hand: `./quay run --with
 * bench_null_rpc_server --task bench_null_rpc`).  It registers a port under
 * NULL_RPC_SERVICE with the bootstrap task's name service and answers null
 * RPCs on it until the machine powers off.
 */
#include <servers/bootstrap.h>

#include "bench.h"
#include "null_rpc.h"

int
main(void)
{
    mach_port_t self = mach_task_self(), bootstrap, service;

    bench_check("task_get_bootstrap_port", task_get_bootstrap_port(self, &bootstrap));
    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &service));
    bench_check("bootstrap_register", bootstrap_register(bootstrap, NULL_RPC_SERVICE, service));
    return null_rpc_serve(service);
}
