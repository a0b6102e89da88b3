;; CRC-32C (Castagnoli) by table slicing, for src/wire/crc32c.ts.
;;
;; Memory layout: bytes [0, 16384) hold sixteen 256-entry u32 tables, filled by the caller
;; before first use; table k (at k * 1024) maps a byte to its contribution to the CRC k
;; bytes further on, so table 0 is the classic byte-at-a-time table. Data goes above them.
;;
;; Every address below is masked to its table ((x << 2) & 1020 picks byte 0 of x as a table
;; index, (x >> 6) & 1020 byte 1, and so on), so no input can read outside the tables.
(module
  (memory (export "memory") 1)


  ;; update(state, ptr, len) -> state: advances a CRC state (not inverted) over
  ;; memory[ptr, ptr + len).
  (func $update (export "update") (param $c i32) (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $a i32) (local $b i32) (local $d i32) (local $e i32)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    ;; 16 bytes per step.
    (block $done16
      (loop $step16
        (br_if $done16 (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 16)))
        (local.set $a (i32.xor (local.get $c) (i32.load (local.get $p))))
        (local.set $b (i32.load offset=4 (local.get $p)))
        (local.set $d (i32.load offset=8 (local.get $p)))
        (local.set $e (i32.load offset=12 (local.get $p)))
        (local.set $c
          (i32.xor
            (i32.xor
              (i32.xor
                (i32.xor
                  (i32.load offset=15360 (i32.and (i32.shl (local.get $a) (i32.const 2)) (i32.const 1020)))
                  (i32.load offset=14336 (i32.and (i32.shr_u (local.get $a) (i32.const 6)) (i32.const 1020))))
                (i32.xor
                  (i32.load offset=13312 (i32.and (i32.shr_u (local.get $a) (i32.const 14)) (i32.const 1020)))
                  (i32.load offset=12288 (i32.and (i32.shr_u (local.get $a) (i32.const 22)) (i32.const 1020)))))
              (i32.xor
                (i32.xor
                  (i32.load offset=11264 (i32.and (i32.shl (local.get $b) (i32.const 2)) (i32.const 1020)))
                  (i32.load offset=10240 (i32.and (i32.shr_u (local.get $b) (i32.const 6)) (i32.const 1020))))
                (i32.xor
                  (i32.load offset=9216 (i32.and (i32.shr_u (local.get $b) (i32.const 14)) (i32.const 1020)))
                  (i32.load offset=8192 (i32.and (i32.shr_u (local.get $b) (i32.const 22)) (i32.const 1020))))))
            (i32.xor
              (i32.xor
                (i32.xor
                  (i32.load offset=7168 (i32.and (i32.shl (local.get $d) (i32.const 2)) (i32.const 1020)))
                  (i32.load offset=6144 (i32.and (i32.shr_u (local.get $d) (i32.const 6)) (i32.const 1020))))
                (i32.xor
                  (i32.load offset=5120 (i32.and (i32.shr_u (local.get $d) (i32.const 14)) (i32.const 1020)))
                  (i32.load offset=4096 (i32.and (i32.shr_u (local.get $d) (i32.const 22)) (i32.const 1020)))))
              (i32.xor
                (i32.xor
                  (i32.load offset=3072 (i32.and (i32.shl (local.get $e) (i32.const 2)) (i32.const 1020)))
                  (i32.load offset=2048 (i32.and (i32.shr_u (local.get $e) (i32.const 6)) (i32.const 1020))))
                (i32.xor
                  (i32.load offset=1024 (i32.and (i32.shr_u (local.get $e) (i32.const 14)) (i32.const 1020)))
                  (i32.load (i32.and (i32.shr_u (local.get $e) (i32.const 22)) (i32.const 1020))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $step16)))
    ;; Then at most one 8-byte step (tables 7 .. 0).
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $p)) (i32.const 8))
      (then
        (local.set $a (i32.xor (local.get $c) (i32.load (local.get $p))))
        (local.set $b (i32.load offset=4 (local.get $p)))
        (local.set $c
          (i32.xor
            (i32.xor
              (i32.xor
                (i32.load offset=7168 (i32.and (i32.shl (local.get $a) (i32.const 2)) (i32.const 1020)))
                (i32.load offset=6144 (i32.and (i32.shr_u (local.get $a) (i32.const 6)) (i32.const 1020))))
              (i32.xor
                (i32.load offset=5120 (i32.and (i32.shr_u (local.get $a) (i32.const 14)) (i32.const 1020)))
                (i32.load offset=4096 (i32.and (i32.shr_u (local.get $a) (i32.const 22)) (i32.const 1020)))))
            (i32.xor
              (i32.xor
                (i32.load offset=3072 (i32.and (i32.shl (local.get $b) (i32.const 2)) (i32.const 1020)))
                (i32.load offset=2048 (i32.and (i32.shr_u (local.get $b) (i32.const 6)) (i32.const 1020))))
              (i32.xor
                (i32.load offset=1024 (i32.and (i32.shr_u (local.get $b) (i32.const 14)) (i32.const 1020)))
                (i32.load (i32.and (i32.shr_u (local.get $b) (i32.const 22)) (i32.const 1020)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))))
    ;; Then at most one 4-byte step (tables 3 .. 0).
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $p)) (i32.const 4))
      (then
        (local.set $a (i32.xor (local.get $c) (i32.load (local.get $p))))
        (local.set $c
          (i32.xor
            (i32.xor
              (i32.load offset=3072 (i32.and (i32.shl (local.get $a) (i32.const 2)) (i32.const 1020)))
              (i32.load offset=2048 (i32.and (i32.shr_u (local.get $a) (i32.const 6)) (i32.const 1020))))
            (i32.xor
              (i32.load offset=1024 (i32.and (i32.shr_u (local.get $a) (i32.const 14)) (i32.const 1020)))
              (i32.load (i32.and (i32.shr_u (local.get $a) (i32.const 22)) (i32.const 1020))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))))
    ;; The last 0-3 bytes one at a time (table 0).
    (block $done1
      (loop $step1
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c
          (i32.xor
            (i32.load
              (i32.and
                (i32.shl (i32.xor (local.get $c) (i32.load8_u (local.get $p))) (i32.const 2))
                (i32.const 1020)))
            (i32.shr_u (local.get $c) (i32.const 8))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $step1)))
    (local.get $c))

  ;; spans(list, n, base): for each of the n (offset, length) i32 pairs at list, computes
  ;; the CRC-32C of memory[base + offset, base + offset + length) and stores it over the
  ;; pair's offset, byte-swapped as NMSG's payload_crcs holds it.
  (func (export "spans") (param $list i32) (param $n i32) (param $base i32)
    (local $end i32) (local $x i32)
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        (local.set $x
          (i32.xor
            (call $update
              (i32.const -1)
              (i32.add (local.get $base) (i32.load (local.get $list)))
              (i32.load offset=4 (local.get $list)))
            (i32.const -1)))
        (i32.store
          (local.get $list)
          (i32.or
            (i32.and (i32.rotl (local.get $x) (i32.const 8)) (i32.const 0x00ff00ff))
            (i32.and (i32.rotr (local.get $x) (i32.const 8)) (i32.const 0xff00ff00))))
        (local.set $list (i32.add (local.get $list) (i32.const 8)))
        (br $next))))
)
