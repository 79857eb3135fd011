/**
 * The streamed CSV loader against the whole-text parser: for any bytes, loading the file in
 * chunks of a few bytes (so records, multi-byte characters, CRLF pairs and quoted cells
 * straddle chunk boundaries) gives the same data set or the same error as decoding the file
 * whole and parsing the text. Also the value and record caps. Properties are seeded (SEED),
 * numRuns in the test names.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFeatureCsv, parseLabelledCsv, parsePredictionCsv } from "../../src/data/index.js";
import { DataError, HandgradError } from "../../src/errors.js";
import { loadCsv, loadFeatureCsv, loadPredictionCsv, readUtf8File } from "../../src/io/index.js";
import { rmSync } from "node:fs";

const SEED = 20250918;

let folder: string;
let fileCount = 0;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "handgrad-csv-stream-"));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function writeTemp(bytes: Uint8Array | string): string {
  const path = join(folder, `f${fileCount++}.csv`);
  writeFileSync(path, bytes);
  return path;
}

/** What a load gave: its numbers bit for bit and names, or the error's class and message. */
function outcome(load: () => unknown): unknown {
  try {
    const result = load() as Record<string, unknown>;
    return JSON.parse(
      JSON.stringify(result, (_, v: unknown) =>
        v instanceof Float64Array
          ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")
          : v,
      ),
    );
  } catch (error) {
    if (!(error instanceof HandgradError)) throw error;
    return { error: error.name, message: error.message };
  }
}

/**
 * The whole file decoded by an independent oracle: TextDecoder over all the bytes; on an
 * invalid byte, the message the loader must give, with the line found by decoding ever
 * longer prefixes (the first prefix that fails ends at the invalid byte).
 */
function decodeWhole(path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    let bad = 1;
    for (; bad <= bytes.length; bad++) {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, bad), { stream: true });
      } catch {
        break;
      }
    }
    const line = 1 + bytes.subarray(0, bad - 1).filter((b) => b === 10).length;
    throw new DataError(
      `${path} is not UTF-8 text (line ${line} has an invalid byte); save the file as UTF-8`,
    );
  }
}

/** Text units that reach every branch of the scanner and the tokenizer, as UTF-8 bytes. */
const encoder = new TextEncoder();
const byteUnit = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...'0123456789.,-e" \t\r\n').map((c) => encoder.encode(c)),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom("\r\n", '""', ",,", "1.0", "\uFEFF", "é", "€", "😀", "x", "true", "1e999")
      .map((s) => encoder.encode(s)),
  },
  // Bytes that are not UTF-8: a lone continuation, a truncated sequence, an overlong form.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom([0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xff])
      .map((b) => Uint8Array.from(b)),
  },
);
const header = fc.constantFrom(
  "",
  "x,y\n",
  "a,b,label\r\n",
  '"a,1","b""2",y\n',
  "\uFEFFx,y\n",
  "x\n",
);
const csvBytes = fc
  .tuple(header, fc.array(byteUnit, { maxLength: 60 }))
  .map(([head, units]) => Buffer.concat([encoder.encode(head), ...units]));
const chunkBytes = fc.constantFrom(1, 2, 3, 7, 64);

describe("streamed CSV files: the same result as the whole-text parser", () => {
  it("loadCsv in chunks of 1 to 64 bytes, any bytes: same data set or same error (numRuns 3000)", () => {
    const options = fc.record(
      {
        label: fc.constantFrom("x", "y", "label", "a,1"),
        maxClasses: fc.integer({ min: 2, max: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(csvBytes, chunkBytes, options, (bytes, chunk, opts) => {
        const path = writeTemp(bytes);
        const streamed = outcome(() => loadCsv(path, { ...opts, chunkBytes: chunk }));
        const whole = outcome(() =>
          parseLabelledCsv(decodeWhole(path, bytes), { ...opts, source: path }),
        );
        expect(streamed).toEqual(whole);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("loadFeatureCsv and loadPredictionCsv in chunks: same result or same error (numRuns 1000)", () => {
    fc.assert(
      fc.property(csvBytes, chunkBytes, fc.integer({ min: 1, max: 3 }), (bytes, chunk, D) => {
        const path = writeTemp(bytes);
        expect(outcome(() => loadFeatureCsv(path, { chunkBytes: chunk }))).toEqual(
          outcome(() => parseFeatureCsv(decodeWhole(path, bytes), { source: path })),
        );
        expect(outcome(() => loadPredictionCsv(path, D, { chunkBytes: chunk }))).toEqual(
          outcome(() => parsePredictionCsv(decodeWhole(path, bytes), D, { source: path })),
        );
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("a real data set (569 rows) loads the same in 7-byte chunks as parsed whole", () => {
    const path = join(import.meta.dirname, "../../data/breast_cancer.csv");
    expect(outcome(() => loadCsv(path, { chunkBytes: 7 }))).toEqual(
      outcome(() => parseLabelledCsv(readUtf8File(path, DataError), { source: path })),
    );
  });
});

describe("streamed CSV files: limits", () => {
  /** A file of `rows` rows of three columns, then `tail`. */
  function rowsFile(rows: number, tail = ""): string {
    const lines = ["a,b,y"];
    for (let i = 0; i < rows; i++) lines.push(`${i},${-i},${i % 2}`);
    return writeTemp(`${lines.join("\n")}\n${tail}`);
  }

  it("refuses a file over the value cap, naming the cap, the columns and the line reached", () => {
    const path = rowsFile(1000);
    expect(() => loadCsv(path, { maxValues: 300, chunkBytes: 64 })).toThrow(DataError);
    expect(() => loadCsv(path, { maxValues: 300, chunkBytes: 64 })).toThrow(
      new RegExp(
        `^${path} holds more than 300 numbers \\(3 columns × 1\\d\\d rows by line 1\\d\\d\\), the most handgrad reads \\(2.3 KiB of float64\\); use fewer rows$`,
      ),
    );
    expect(loadCsv(path, { maxValues: 3000 }).X.rows).toBe(1000); // exactly 3000 numbers fit
  });

  it("stops reading at the value cap: a record over the record cap further on is never reached", () => {
    const path = rowsFile(1000, `${"9".repeat(5000)},1,0\n`);
    const limits = { maxValues: 300, maxRecordBytes: 1000, chunkBytes: 64 };
    expect(() => loadCsv(path, limits)).toThrow(/holds more than 300 numbers/);
    expect(() => loadCsv(path, { ...limits, maxValues: 10_000 })).toThrow(
      `${path} line 1002 starts a record longer than 1000 bytes, the longest handgrad reads (is a quoted cell left open?)`,
    );
  });

  it("refuses a record over the record cap, naming its first line, even when a quote is never closed", () => {
    const path = writeTemp(`x,y\n1,0\n"${"z".repeat(3000)}\n1,0\n`);
    expect(() => loadCsv(path, { maxRecordBytes: 1024, chunkBytes: 7 })).toThrow(
      `${path} line 3 starts a record longer than 1 KiB, the longest handgrad reads (is a quoted cell left open?)`,
    );
    // Under the cap, the same file gives the parser's own error.
    expect(() => loadCsv(path)).toThrow(
      `${path} line 3, column "x": a quoted cell is never closed`,
    );
  });

  it("reads a 1 MB line (a 1 MB number) under the default record cap", () => {
    const digits = "1".repeat(1_000_000);
    const path = writeTemp(`x,y\n${digits}e-999990,1\n0.5,0\n`);
    const ds = loadCsv(path, { chunkBytes: 4096 });
    expect(Array.from(ds.X.data)).toEqual([Number(`${digits}e-999990`), 0.5]);
  });

  it("readUtf8File refuses a file over its byte cap before decoding it", () => {
    const path = writeTemp("x".repeat(5000));
    expect(() => readUtf8File(path, DataError, 4096)).toThrow(
      `${path} is larger than 4096 bytes, the most handgrad reads whole`,
    );
    expect(readUtf8File(path, DataError, 5000)).toHaveLength(5000);
  });

  it("names a missing file and a folder", () => {
    expect(() => loadCsv(join(folder, "missing.csv"))).toThrow(
      `cannot read ${join(folder, "missing.csv")}: no such file`,
    );
    expect(() => loadCsv(folder)).toThrow(`cannot read ${folder}: it is a folder, not a file`);
  });
});
