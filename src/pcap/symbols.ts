/**
 * The libpcap functions nmsg-deno binds. Every C pointer is declared `u64` (or passed in a
 * `buffer`), never `pointer`, so that a scoped `--allow-ffi=<libpcap>,<libc>` grant is
 * enough: Deno's pointer APIs need the unscoped grant (denoland/deno#15511). Bytes behind
 * returned pointers are copied out with libc `memcpy` (src/ffi/libc_memory.ts).
 *
 * @module
 */

/** The libpcap symbol table. */
export const PCAP_SYMBOLS = {
  // const char *pcap_lib_version(void);
  pcap_lib_version: { parameters: [], result: "u64" },
  // pcap_t *pcap_open_offline(const char *fname, char *errbuf);
  pcap_open_offline: { parameters: ["buffer", "buffer"], result: "u64" },
  // pcap_t *pcap_create(const char *source, char *errbuf);
  pcap_create: { parameters: ["buffer", "buffer"], result: "u64" },
  // pcap_t *pcap_open_dead(int linktype, int snaplen);
  pcap_open_dead: { parameters: ["i32", "i32"], result: "u64" },
  // int pcap_set_snaplen(pcap_t *p, int snaplen);
  pcap_set_snaplen: { parameters: ["u64", "i32"], result: "i32" },
  // int pcap_set_promisc(pcap_t *p, int promisc);
  pcap_set_promisc: { parameters: ["u64", "i32"], result: "i32" },
  // int pcap_set_timeout(pcap_t *p, int to_ms);
  pcap_set_timeout: { parameters: ["u64", "i32"], result: "i32" },
  // int pcap_set_buffer_size(pcap_t *p, int buffer_size);
  pcap_set_buffer_size: { parameters: ["u64", "i32"], result: "i32" },
  // int pcap_set_immediate_mode(pcap_t *p, int immediate_mode);
  pcap_set_immediate_mode: { parameters: ["u64", "i32"], result: "i32" },
  // int pcap_activate(pcap_t *p);
  pcap_activate: { parameters: ["u64"], result: "i32" },
  // int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf);
  pcap_setnonblock: { parameters: ["u64", "i32", "buffer"], result: "i32" },
  // int pcap_get_selectable_fd(pcap_t *p);
  pcap_get_selectable_fd: { parameters: ["u64"], result: "i32" },
  // int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data);
  pcap_next_ex: { parameters: ["u64", "buffer", "buffer"], result: "i32" },
  // void pcap_breakloop(pcap_t *p);
  pcap_breakloop: { parameters: ["u64"], result: "void" },
  // void pcap_close(pcap_t *p);
  pcap_close: { parameters: ["u64"], result: "void" },
  // char *pcap_geterr(pcap_t *p);
  pcap_geterr: { parameters: ["u64"], result: "u64" },
  // const char *pcap_statustostr(int error);
  pcap_statustostr: { parameters: ["i32"], result: "u64" },
  // int pcap_datalink(pcap_t *p);
  pcap_datalink: { parameters: ["u64"], result: "i32" },
  // const char *pcap_datalink_val_to_name(int dlt);
  pcap_datalink_val_to_name: { parameters: ["i32"], result: "u64" },
  // int pcap_snapshot(pcap_t *p);
  pcap_snapshot: { parameters: ["u64"], result: "i32" },
  // int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str, int optimize,
  //                  bpf_u_int32 netmask);
  pcap_compile: { parameters: ["u64", "buffer", "buffer", "i32", "u32"], result: "i32" },
  // int pcap_setfilter(pcap_t *p, struct bpf_program *fp);
  pcap_setfilter: { parameters: ["u64", "buffer"], result: "i32" },
  // void pcap_freecode(struct bpf_program *fp);
  pcap_freecode: { parameters: ["buffer"], result: "void" },
  // u_int bpf_filter(const struct bpf_insn *pc, const u_char *pkt, u_int wirelen,
  //                  u_int buflen);
  bpf_filter: { parameters: ["u64", "buffer", "u32", "u32"], result: "u32" },
  // The same, for instructions copied into JS memory (see BpfProgram.instructions).
  bpf_filter_copy: {
    name: "bpf_filter",
    parameters: ["buffer", "buffer", "u32", "u32"],
    result: "u32",
  },
  // int pcap_stats(pcap_t *p, struct pcap_stat *ps);
  pcap_stats: { parameters: ["u64", "buffer"], result: "i32" },
} as const;

/** Size of libpcap's error buffers (`PCAP_ERRBUF_SIZE`). */
export const PCAP_ERRBUF_SIZE = 256;

/** `pcap_compile` netmask when none is known (`PCAP_NETMASK_UNKNOWN`). */
export const PCAP_NETMASK_UNKNOWN = 0xffffffff;

/** `pcap_next_ex` / `pcap_activate` status: generic error (`PCAP_ERROR`). */
export const PCAP_ERROR: number = -1;

/** `pcap_next_ex` status: the end of a file, or `pcap_breakloop` was called. */
export const PCAP_ERROR_BREAK: number = -2;
