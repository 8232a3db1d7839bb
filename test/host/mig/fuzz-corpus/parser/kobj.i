# 0 "kobj.defs"
# 0 "<built-in>"
# 0 "<command-line>"
# 1 "/usr/include/stdc-predef.h" 1 3 4
# 0 "<command-line>" 2
# 1 "kobj.defs"






subsystem KernelServer kobj 5000;

# 1 "../../../include/mach/std_types.defs" 1
# 11 "../../../include/mach/std_types.defs"
type char = MACH_MSG_TYPE_CHAR;
type short = MACH_MSG_TYPE_INTEGER_16;
type int = MACH_MSG_TYPE_INTEGER_32;
type int32_t = MACH_MSG_TYPE_INTEGER_32;
type int64_t = MACH_MSG_TYPE_INTEGER_64;
type boolean_t = MACH_MSG_TYPE_BOOLEAN;
type unsigned = MACH_MSG_TYPE_INTEGER_32;
type uint32_t = MACH_MSG_TYPE_INTEGER_32;
type uint64_t = MACH_MSG_TYPE_INTEGER_64;

type integer_t = int32_t;
type natural_t = uint32_t;
type kern_return_t = int;

type vm_offset_t = uint64_t;
type vm_size_t = uint64_t;
type vm_address_t = vm_offset_t;
type pointer_t = ^array[] of MACH_MSG_TYPE_BYTE
 ctype: vm_offset_t;

type mach_port_t = MACH_MSG_TYPE_COPY_SEND;
type mach_port_array_t = array[] of mach_port_t;

type mach_port_name_t = MACH_MSG_TYPE_PORT_NAME;
type mach_port_name_array_t = array[] of mach_port_name_t;

type mach_port_right_t = natural_t;
type mach_port_type_t = natural_t;
type mach_port_type_array_t = array[] of mach_port_type_t;
type mach_port_urefs_t = natural_t;
type mach_port_delta_t = integer_t;
type mach_port_seqno_t = natural_t;
type mach_port_mscount_t = unsigned;
type mach_port_msgcount_t = unsigned;
type mach_msg_id_t = integer_t;
type mach_msg_type_name_t = unsigned;
type mach_msg_type_number_t = natural_t;

type mach_port_move_receive_t = MACH_MSG_TYPE_MOVE_RECEIVE
 ctype: mach_port_t;
type mach_port_copy_send_t = MACH_MSG_TYPE_COPY_SEND
 ctype: mach_port_t;
type mach_port_make_send_t = MACH_MSG_TYPE_MAKE_SEND
 ctype: mach_port_t;
type mach_port_move_send_t = MACH_MSG_TYPE_MOVE_SEND
 ctype: mach_port_t;
type mach_port_make_send_once_t = MACH_MSG_TYPE_MAKE_SEND_ONCE
 ctype: mach_port_t;
type mach_port_move_send_once_t = MACH_MSG_TYPE_MOVE_SEND_ONCE
 ctype: mach_port_t;

type mach_port_receive_t = MACH_MSG_TYPE_PORT_RECEIVE
 ctype: mach_port_t;
type mach_port_send_t = MACH_MSG_TYPE_PORT_SEND
 ctype: mach_port_t;
type mach_port_send_once_t = MACH_MSG_TYPE_PORT_SEND_ONCE
 ctype: mach_port_t;

type mach_port_poly_t = polymorphic
 ctype: mach_port_t;

import <mach/std_types.h>;
# 10 "kobj.defs" 2

import "kobj_kernel.h";

type task_t = mach_port_t

 intran: task_t convert_port_to_task(mach_port_t)
 destructor: task_deallocate(task_t)

 ;

routine kobj_info(
  task : task_t;
  which : int;
 out names : mach_port_name_array_t, dealloc;
 out port : mach_port_make_send_t;
 out data : pointer_t, dealloc;
 out name : c_string[*:64]);

simpleroutine kobj_poke(
  task : task_t;
  p : mach_port_move_send_t;
  ports : mach_port_array_t);
