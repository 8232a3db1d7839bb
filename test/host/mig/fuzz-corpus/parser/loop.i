# 0 "loop.defs"
# 0 "<built-in>"
# 0 "<command-line>"
# 1 "/usr/include/stdc-predef.h" 1 3 4
# 0 "<command-line>" 2
# 1 "loop.defs"






subsystem loop 4000;

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
# 10 "loop.defs" 2

import "loop_types.h";
rcsid "$Id: loop.defs test$";
ServerPrefix S_;

type int8_t = MACH_MSG_TYPE_INTEGER_8;
type int16_t = MACH_MSG_TYPE_INTEGER_16;
type real_t = MACH_MSG_TYPE_REAL;
type double = (MACH_MSG_TYPE_REAL, 64);
type point_t = struct[2] of int;
type pair_t = struct { int32_t a; int64_t b; };
type ints4_t = array[4] of int;
type ints_bounded_t = array[*:16] of int;
type ints_t = array[] of int;
type bytes_t = array[*] of char;
type ool_bytes_t = ^array[] of char;
type ool_fixed_t = ^array[64] of char;
type name_t = c_string[32];
type path_t = c_string[*:128];
type ports3_t = array[3] of mach_port_t;
type ports_bounded_t = array[*:8] of mach_port_move_send_t;
type counter_t = int
 ctype: int
 intran: counter_t counter_in(int)
 outtran: int counter_out(counter_t)
 destructor: counter_done(counter_t);
type obj_t = mach_port_t
 ctype: mach_port_t
 intran: obj_t obj_lookup(mach_port_t)
 destructor: obj_release(obj_t);
type send_pair_t = MACH_MSG_TYPE_MAKE_SEND | MACH_MSG_TYPE_PORT_SEND
 ctype: mach_port_t;


routine later(
  server : mach_port_t;
 sreplyport reply : mach_port_make_send_once_t;
  value : int;
 out result : int);


ROUTINE scalars(
  server : mach_port_t;
  c : char;
  i8 : int8_t;
  s : int16_t;
  i : int;
  i64 : int64_t;
  u : unsigned;
  u64 : uint64_t;
  b : boolean_t;
  f : real_t;
  d : double;
 OUT sum : int64_t;
 out neg : boolean_t;
 out half : double);


routine structs(
  server : mach_port_t;
  p : point_t;
  q : pair_t;
 out pr : point_t;
 out qr : pair_t);

skip;


routine fixed_arrays(
  server : mach_port_t;
  a : ints4_t;
 inout b : ints4_t;
 out c : ints4_t);


routine bounded(
  server : mach_port_t;
  a : ints_bounded_t;
 out b : ints_bounded_t;
 inout c : ints_bounded_t);


routine unbounded(
  server : mach_port_t;
  a : ints_t;
  b : bytes_t, dealloc;
  n : int;
 out c : ints_t, dealloc;
 out d : bytes_t, dealloc);


routine ool(
  server : mach_port_t;
  a : ool_bytes_t;
  f : ool_fixed_t;
  n : int;
 out b : ool_bytes_t, dealloc;
 out g : ool_fixed_t);


routine strings(
  server : mach_port_t;
  n : name_t;
  p : path_t;
 out on : name_t;
 out op : path_t;
 inout io : path_t);


routine ports(
  server : mach_port_t;
  send : mach_port_copy_send_t;
  make : mach_port_make_send_t;
  move : mach_port_move_send_t;
  once : mach_port_make_send_once_t;
  rcv : mach_port_move_receive_t;
  pair : send_pair_t;
 out o1 : mach_port_make_send_t;
 out o2 : mach_port_move_send_t);


routine poly(
  server : mach_port_t;
  p : mach_port_poly_t;
 out q : mach_port_poly_t);


routine port_arrays(
  server : mach_port_t;
  a : ports3_t;
  b : ports_bounded_t;
  c : mach_port_array_t;
 out d : mach_port_array_t, dealloc;
 out e : ports3_t);


simpleroutine notify_me(
  server : mach_port_t;
  v : int);


routine timed(
  server : mach_port_t;
 waittime timeout : natural_t;
 msgoption opt : int;
  v : int);


routine countio(
  server : mach_port_t;
 out a : ints_bounded_t, countinout);


routine fail(
  server : mach_port_t;
  a : ool_bytes_t;
  p : mach_port_move_send_t;
  b : bytes_t;
  c : mach_port_array_t;
  code : int);


routine translated(
  server : obj_t;
  c : counter_t;
 out oc : counter_t);


routine seqno(
  server : mach_port_t;
 msgseqno seq : mach_port_seqno_t;
 out s : natural_t);


routine scopy(
  server : mach_port_t;
  a : ints_t, servercopy);


routine maybe(
  server : mach_port_t;
  a : ool_bytes_t, dealloc[]);


routine incr(
  server : mach_port_t;
 inout x : int);


simpleroutine async_req(
  server : mach_port_t;
 ureplyport reply : mach_port_make_send_once_t;
  v : int);


routine inline_types(
  server : mach_port_t;
  a : (MACH_MSG_TYPE_INTEGER_32, 32);
  b : array[*:4] of int;
 out c : array[2] of short);
