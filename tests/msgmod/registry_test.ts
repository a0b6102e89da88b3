import assert from "node:assert/strict";
import { defaultRegistry } from "../../src/msgmod/builtin.ts";
import { MessageModule } from "../../src/msgmod/module.ts";
import { ModuleRegistry } from "../../src/msgmod/registry.ts";

const acme = (msgtype: number, mname: string, vid = 1000) =>
  new MessageModule({
    vid,
    vname: "acme",
    msgtype,
    mname,
    schema: { typeName: "acme.M", fields: [] },
    fields: [],
  });

Deno.test("ModuleRegistry finds names without case, ISC as base", () => {
  const r = defaultRegistry();
  assert.equal(r.vendorId("ISC"), 1);
  assert.equal(r.vendorId("sie"), 2);
  assert.equal(r.msgtypeId(1, "DnsQR"), 9);
  assert.equal(r.lookupByName("Sie", "NEWDOMAIN")?.msgtype, 5);
  assert.equal(r.vendorId("acme"), undefined);
  assert.equal(r.msgtypeId(1, "nope"), undefined);
  assert.equal(r.msgtypeId(77, "dnsqr"), undefined);
});

Deno.test("ModuleRegistry names follow register(), the first of a name winning", () => {
  const r = new ModuleRegistry([acme(2, "two")]);
  assert.equal(r.lookupByName("acme", "one"), undefined);
  const one = acme(1, "one");
  r.register(one);
  assert.equal(r.lookupByName("ACME", "one"), one);
  // A second type of the same name: the one registered first stays.
  r.register(acme(3, "one"));
  assert.equal(r.msgtypeId(1000, "one"), 1);
  // Replacing a module under its numbers replaces its name.
  const renamed = acme(1, "uno");
  r.register(renamed);
  assert.equal(r.lookupByName("acme", "uno"), renamed);
  assert.equal(r.msgtypeId(1000, "one"), 3);
  // A later vendor of the same name does not take it over.
  r.register(acme(1, "x", 999));
  assert.equal(r.vendorId("acme"), 1000);
});
