import { Writable } from "node:stream";
import { QuietDuringSeed, isRequestLine } from "../../tools/stack/quiet-output";

const requestLine = '{"level":"info","time":"2026-11-30T10:00:00.000Z","pid":1,"service":"ledger","requestId":"r1","operation":null,"ms":1.2,"status":200,"message":"request"}';
const readyLine = '{"level":"info","time":"2026-11-30T10:00:00.000Z","pid":1,"service":"ledger","message":"subgraph ready"}';
const warnRequest = '{"level":"warn","pid":1,"service":"gateway","message":"request"}';

function collect(): { sink: Writable; text: () => string } {
  let text = "";
  const sink = new Writable({ write: (chunk, _encoding, done) => ((text += chunk.toString()), done()) });
  return { sink, text: () => text };
}

const write = (stream: Writable, chunk: string) => new Promise<void>((resolve) => stream.write(chunk, () => resolve()));

describe("npm start's output during the demo seed", () => {
  it("recognises a service's per-request line, and only that", () => {
    expect(isRequestLine(requestLine)).toBe(true);
    expect(isRequestLine(readyLine)).toBe(false);
    expect(isRequestLine(warnRequest)).toBe(false); // a warning is never hidden
    expect(isRequestLine('not json "request"')).toBe(false);
    expect(isRequestLine("")).toBe(false);
  });

  it("drops request lines while quiet, keeps every other line, and lets them through afterwards", async () => {
    const { sink, text } = collect();
    const output = new QuietDuringSeed(sink, "info");
    output.setQuiet(true);
    // A line split across two chunks is judged whole.
    await write(output, `${requestLine}\n${readyLine.slice(0, 20)}`);
    await write(output, `${readyLine.slice(20)}\n${requestLine}\n${warnRequest}\n`);
    expect(text()).toBe(`${readyLine}\n${warnRequest}\n`);
    output.setQuiet(false);
    await write(output, `${requestLine}\n`);
    expect(text()).toBe(`${readyLine}\n${warnRequest}\n${requestLine}\n`);
  });

  it("shows the seed's request lines with LOG_LEVEL=debug", async () => {
    const { sink, text } = collect();
    const output = new QuietDuringSeed(sink, "debug");
    output.setQuiet(true);
    await write(output, `${requestLine}\n`);
    expect(text()).toBe(`${requestLine}\n`);
  });
});
