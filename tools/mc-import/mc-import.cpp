//===- mc-import.cpp - ONNX to mc dialect importer ------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// `mc-import model.onnx [-o model.mlir]` reads an ONNX model and prints it as
// mc IR. Diagnostics name the file, the ONNX node and its op type; any
// failure exits with status 1. MLIR's printing flags apply, e.g.
// `--mlir-elide-resource-strings-if-larger=64` to leave weights out.
//
//===----------------------------------------------------------------------===//

#include "mc/Target/ONNX/ONNXImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.onnx>"),
                                          cl::Required);
static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"));
static cl::list<std::string>
    bindInputs("bind-input",
               cl::desc("Bind a graph input to a constant: NAME=FILE.pb "
                        "(a serialized onnx.TensorProto)"),
               cl::value_desc("name=file"));
static cl::opt<std::string> functionName("function-name",
                                         cl::desc("Name of the generated "
                                                  "function"),
                                         cl::init("main"));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "mc ONNX importer\n");

  DialectRegistry registry;
  mc::registerONNXImportDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  mc::ONNXImportOptions options;
  options.functionName = functionName;
  for (const std::string &binding : bindInputs) {
    auto [name, file] = StringRef(binding).split('=');
    if (name.empty() || file.empty()) {
      llvm::errs() << "mc-import: error: --bind-input expects NAME=FILE, got '"
                   << binding << "'\n";
      return 1;
    }
    options.boundInputs[name] = file.str();
  }

  OwningOpRef<ModuleOp> module =
      mc::importONNXFile(inputFilename, &context, options);
  if (!module)
    return 1;

  std::string error;
  auto output = openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "mc-import: error: " << error << "\n";
    return 1;
  }
  module->print(output->os(), OpPrintingFlags());
  output->os() << "\n";
  output->keep();
  return 0;
}
