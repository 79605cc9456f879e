//===- EmitRuntimeABI.cpp - Model function and info table for the ABI -----===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-emit-runtime-abi pass: checks that the model function fits the C
// runtime ABI (runtime/include/mc/runtime.h, docs/RuntimeABI.md), asks the
// LLVM lowering for its C interface, makes its arguments read-only for
// bufferization, and emits the model's info table as LLVM dialect globals
// whose layout mirrors `struct mc_model_info` and `mc_tensor_info`.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/Common/Passes.h"
#include "mc/Codegen/Common/RuntimeABI.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCEMITRUNTIMEABIPASS
#include "mc/Codegen/Common/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

constexpr StringLiteral kInfoSymbol = "mc_generated_model_info";

struct MCEmitRuntimeABIPass
    : mc::impl::MCEmitRuntimeABIPassBase<MCEmitRuntimeABIPass> {
  using Base::Base;

  void runOnOperation() override;
};

void MCEmitRuntimeABIPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  if (SymbolTable::lookupSymbolIn(module, kInfoSymbol)) {
    module.emitError() << "symbol @" << kInfoSymbol
                       << " exists already: the runtime ABI was emitted before";
    return signalPassFailure();
  }
  FailureOr<mc::ModelSignature> signature = mc::getModelSignature(module);
  if (failed(signature))
    return signalPassFailure();
  auto func = module.lookupSymbol<func::FuncOp>(mc::kRuntimeABIFunction);
  ArrayRef<mc::TensorSignature> inputs = signature->inputs;
  ArrayRef<mc::TensorSignature> outputs = signature->outputs;

  // The function: C interface, read-only arguments. The names now live in
  // the info table; the mc.name attributes go, as LLVM IR has no place for
  // them (the translation would warn about each), and so do the other mc
  // argument and result attributes (mc.calib from calibration).
  auto mcAttrNames = [](DictionaryAttr attrs) {
    SmallVector<StringAttr> names;
    if (!attrs)
      return names;
    for (NamedAttribute attr : attrs)
      if (attr.getName().getValue().starts_with("mc."))
        names.push_back(attr.getName());
    return names;
  };
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    for (StringAttr name : mcAttrNames(func.getArgAttrDict(i)))
      func.removeArgAttr(i, name);
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i)
    for (StringAttr name : mcAttrNames(func.getResultAttrDict(i)))
      func.removeResultAttr(i, name);
  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(ctx));
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    BoolAttr::get(ctx, false));

  // The info table.
  Location loc = func.getLoc();
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  Type i8 = builder.getI8Type(), i32 = builder.getI32Type(),
       i64 = builder.getI64Type();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  // mc_tensor_info {name, shape, dtype, rank} and mc_model_info
  // {abi_version, num_inputs, num_outputs, reserved, batch, inputs, outputs,
  // name} of runtime.h; natural alignment gives both the C layout.
  auto tensorInfoType =
      LLVM::LLVMStructType::getLiteral(ctx, {ptr, ptr, i32, i32});
  auto modelInfoType = LLVM::LLVMStructType::getLiteral(
      ctx, {i32, i32, i32, i32, i64, ptr, ptr, ptr});
  SymbolTable symbols(module);

  auto addGlobal = [&](Type type, StringRef name, Attribute value,
                       LLVM::Linkage linkage = LLVM::Linkage::Private) {
    auto global = LLVM::GlobalOp::create(builder, loc, type,
                                         /*isConstant=*/true, linkage, name,
                                         value, /*alignment=*/8);
    symbols.insert(global); // renames on a clash
    return global;
  };
  auto addString = [&](StringRef name, StringRef text) {
    std::string bytes = text.str();
    bytes.push_back('\0');
    return addGlobal(LLVM::LLVMArrayType::get(i8, bytes.size()), name,
                     builder.getStringAttr(bytes));
  };
  // Builds the initializer region of `global` with `build` returning the
  // value.
  auto initialize = [&](LLVM::GlobalOp global, auto build) {
    OpBuilder::InsertionGuard guard(builder);
    builder.createBlock(&global.getInitializerRegion());
    LLVM::ReturnOp::create(builder, loc, build());
  };
  auto constant = [&](Type type, int64_t value) -> Value {
    return LLVM::ConstantOp::create(builder, loc, type,
                                    builder.getIntegerAttr(type, value));
  };
  auto addTensorTable = [&](ArrayRef<mc::TensorSignature> descs,
                            StringRef kind) -> LLVM::GlobalOp {
    if (descs.empty())
      return {};
    SmallVector<LLVM::GlobalOp> names, shapes;
    for (auto [i, desc] : llvm::enumerate(descs)) {
      std::string prefix = ("mc_abi." + kind + Twine(i)).str();
      names.push_back(addString(prefix + ".name", desc.name));
      if (desc.shape.empty()) {
        shapes.push_back({});
        continue;
      }
      auto shapeType =
          RankedTensorType::get({static_cast<int64_t>(desc.shape.size())}, i64);
      shapes.push_back(addGlobal(
          LLVM::LLVMArrayType::get(i64, desc.shape.size()), prefix + ".shape",
          DenseElementsAttr::get(shapeType, ArrayRef<int64_t>(desc.shape))));
    }
    auto tableType = LLVM::LLVMArrayType::get(tensorInfoType, descs.size());
    LLVM::GlobalOp table =
        addGlobal(tableType, ("mc_abi." + kind + "s").str(), Attribute());
    initialize(table, [&]() -> Value {
      Value value = LLVM::ZeroOp::create(builder, loc, tableType);
      for (auto [i, desc] : llvm::enumerate(descs)) {
        auto set = [&](int64_t field, Value element) {
          value = LLVM::InsertValueOp::create(
              builder, loc, value, element,
              ArrayRef<int64_t>{static_cast<int64_t>(i), field});
        };
        set(0, LLVM::AddressOfOp::create(builder, loc, names[i]));
        if (shapes[i])
          set(1, LLVM::AddressOfOp::create(builder, loc, shapes[i]));
        set(2, constant(i32, desc.dtype));
        set(3, constant(i32, desc.shape.size()));
      }
      return value;
    });
    return table;
  };

  LLVM::GlobalOp inputTable = addTensorTable(inputs, "input");
  LLVM::GlobalOp outputTable = addTensorTable(outputs, "output");
  LLVM::GlobalOp nameGlobal =
      addString("mc_abi.model_name", modelName.empty()
                                         ? StringRef(mc::kRuntimeABIFunction)
                                         : StringRef(modelName.getValue()));
  LLVM::GlobalOp info = LLVM::GlobalOp::create(
      builder, loc, modelInfoType, /*isConstant=*/true, LLVM::Linkage::External,
      kInfoSymbol, Attribute(), /*alignment=*/8);
  initialize(info, [&]() -> Value {
    Value value = LLVM::ZeroOp::create(builder, loc, modelInfoType);
    auto set = [&](int64_t field, Value element) {
      value = LLVM::InsertValueOp::create(builder, loc, value, element,
                                          ArrayRef<int64_t>{field});
    };
    set(0, constant(i32, mc::kRuntimeABIVersion));
    set(1, constant(i32, inputs.size()));
    set(2, constant(i32, outputs.size()));
    set(4, constant(i64, signature->batch));
    if (inputTable)
      set(5, LLVM::AddressOfOp::create(builder, loc, inputTable));
    if (outputTable)
      set(6, LLVM::AddressOfOp::create(builder, loc, outputTable));
    set(7, LLVM::AddressOfOp::create(builder, loc, nameGlobal));
    return value;
  });
}

} // namespace
