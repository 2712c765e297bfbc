import { Command } from "@commander-js/extra-typings";
import { requestGpu } from "@e2llm/kernels";

/** `doctor`: report the WebGPU adapter, its backend, features and key limits. */
export function doctorCommand(): Command<[], { json?: true }> {
  return new Command("doctor")
    .description("report the WebGPU adapter, backend, software fallback, features and limits")
    .option("--json", "print one JSON object instead of text")
    .action(async (opts) => {
      const { device, report } = await requestGpu();
      device.destroy();
      if (opts.json) {
        console.log(JSON.stringify(report, null, 2));
        return;
      }
      console.log(`adapter       ${report.description}`);
      console.log(
        `vendor        ${report.vendor || "-"}  architecture ${report.architecture || "-"}`,
      );
      console.log(`backend       ${report.backend}`);
      console.log(`software      ${report.isSoftware ? "yes (expect slow kernels)" : "no"}`);
      console.log(`features      ${report.features.join(", ") || "-"}`);
      console.log("limits");
      for (const [k, v] of Object.entries(report.limits)) console.log(`  ${k.padEnd(36)} ${v}`);
    });
}
