// RUN: mc-opt %s -split-input-file --mc-cpu-tile-and-vectorize="row-tile=4 vector-tile=16" | FileCheck %s

// A matmul with a dynamic row count: full 4x16 register tiles in a peeled
// main loop, the accumulator read once before the reduction loop and kept in
// registers (iter_args of vector type), one 4x16x1 vector.contract per step;
// the remaining rows are done one at a time with 16-wide vectors.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.+]]: tensor<?x16xf32>, %[[B:.+]]: tensor<16x64xf32>, %[[C:.+]]: tensor<?x64xf32>)
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK: %[[FULL:.+]] = affine.apply
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %[[FULL]] step %[[C4]]
// CHECK:   scf.for %[[J:.+]] = %{{.+}} to %[[C64]] step %[[C16]]
// CHECK:     %[[ACC:.+]] = vector.transfer_read %{{.+}}[%[[I]], %[[J]]]{{.*}} : tensor<?x64xf32>, vector<4x16xf32>
// CHECK:     %[[RES:.+]] = scf.for %[[K:.+]] = %{{.+}} to %[[C16]] step %[[C1]] iter_args(%[[IT:.+]] = %[[ACC]]) -> (vector<4x16xf32>)
// CHECK:       %[[LHS:.+]] = vector.transfer_read %[[A]][%[[I]], %[[K]]]{{.*}} : tensor<?x16xf32>, vector<4x1xf32>
// CHECK:       %[[ROW:.+]] = vector.transfer_read %[[B]][%[[K]], %[[J]]]{{.*}} : tensor<16x64xf32>, vector<16xf32>
// CHECK:       %[[RHS:.+]] = vector.broadcast %[[ROW]] : vector<16xf32> to vector<1x16xf32>
// CHECK:       vector.contract {{.*}} %[[LHS]], %[[RHS]], %[[IT]] : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK:     vector.transfer_write %[[RES]], %{{.+}}[%[[I]], %[[J]]]
// CHECK: scf.for %{{.+}} = %[[FULL]] to
// CHECK:   scf.for
// CHECK:     scf.for {{.*}} step %[[C1]]
// CHECK:       scf.for {{.*}} -> (vector<16xf32>)
// CHECK:         vector.contract {{.*}} : vector<1xf32>, vector<1x16xf32> into vector<16xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: tensor<?x16xf32>, %b: tensor<16x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The im2col contraction of a convolution: the batch is tiled by 1 with the
// patch gather fused into that loop (one image's patches at a time, here a
// broadcast of one input element, vectorized row by row; a gathered row of
// 20 elements is a 32-element vector under a mask, one masked store), then
// 4x16 tiles over (filters, pixels); 20 pixels leave a static 4x4 tile.
// CHECK-LABEL: func.func @conv_contraction(
// CHECK: %[[MASK:.+]] = vector.constant_mask [20] : vector<32xi1>
// CHECK: scf.for %[[N:[a-z0-9]+]] = {{.*}} -> (tensor<?x8x20xf32>)
// CHECK:   %[[ELT:.+]] = vector.transfer_read %{{.+}}[%[[N]], %c0, %c0, %c0]{{.*}} : tensor<?x1x6x6xf32>, vector<f32>
// CHECK:   %[[ROW:.+]] = vector.broadcast %[[ELT]] : vector<f32> to vector<32xf32>
// CHECK:   %[[PATCHES:.+]] = scf.for {{.*}} -> (tensor<1x9x20xf32>)
// CHECK:     vector.transfer_write %[[ROW]], %{{.+}}, %[[MASK]] {{.*}} : vector<32xf32>, tensor<1x1x20xf32>
// CHECK:   scf.for {{.*}} -> (tensor<1x8x20xf32>)
// CHECK:     scf.for {{.*}} -> (vector<4x16xf32>)
// CHECK:       vector.transfer_read %[[PATCHES]]{{.*}} vector<16xf32>
// CHECK:       vector.contract {{.*}} into vector<4x16xf32>
// CHECK:     scf.for {{.*}} -> (vector<4x4xf32>)
// CHECK:       vector.contract {{.*}} into vector<4x4xf32>
// CHECK-NOT: linalg.
#patch = affine_map<(n, k, p) -> (n, k, p)>
func.func @conv_contraction(%x: tensor<?x1x6x6xf32>, %w: tensor<8x9xf32>, %init: tensor<?x8x20xf32>) -> tensor<?x8x20xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1x6x6xf32>
  %e = tensor.empty(%n) : tensor<?x9x20xf32>
  %patches = linalg.generic {indexing_maps = [#patch], iterator_types = ["parallel", "parallel", "parallel"]} outs(%e : tensor<?x9x20xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %v = tensor.extract %x[%i, %c0, %c0, %c0] : tensor<?x1x6x6xf32>
    linalg.yield %v : f32
  } -> tensor<?x9x20xf32>
  %0 = linalg.contract indexing_maps = [affine_map<(n, f, p, k) -> (f, k)>, affine_map<(n, f, p, k) -> (n, k, p)>, affine_map<(n, f, p, k) -> (n, f, p)>] ins(%w, %patches : tensor<8x9xf32>, tensor<?x9x20xf32>) outs(%init : tensor<?x8x20xf32>) -> tensor<?x8x20xf32>
  return %0 : tensor<?x8x20xf32>
}

// -----

// An elementwise op that writes a fresh tensor while the contraction's
// result dies at it updates that result instead (in place after
// bufferization): it reads it through its destination, so that its row
// tiles read and write the same loop-carried tensor. Rows of 32 are
// vectorized. Integer contractions are left alone.
// CHECK-LABEL: func.func @relu_in_place(
// CHECK: %[[MM:.+]] = scf.for
// CHECK: scf.for %[[I:.+]] = {{.*}} iter_args(%[[ACC:.+]] = %[[MM]]) -> (tensor<8x32xf32>)
// CHECK:   %[[V:.+]] = vector.transfer_read %[[ACC]][%[[I]], %c0]{{.*}} : tensor<8x32xf32>, vector<32xf32>
// CHECK:   arith.maximumf %[[V]], %{{.+}} : vector<32xf32>
// CHECK-NOT: linalg.generic
func.func @relu_in_place(%a: tensor<8x4xf32>, %b: tensor<4x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x32xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  %e = tensor.empty() : tensor<8x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x32xf32>) outs(%e : tensor<8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x32xf32>
  return %1 : tensor<8x32xf32>
}

// CHECK-LABEL: func.func @integer_untouched(
// CHECK: linalg.matmul
// CHECK-NOT: vector.contract
func.func @integer_untouched(%a: tensor<8x4xi32>, %b: tensor<4x32xi32>, %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xi32>, tensor<4x32xi32>) outs(%c : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %0 : tensor<8x32xi32>
}

// -----

// A convolution stack over a dynamic batch (im2col contraction, ReLU, 2x2
// max pooling): everything is fused into one loop over the images, so no
// batch-sized tensor is materialized between the ops. The ReLU before the
// max pooling is folded into it (max is monotonic: pooling then clamping
// at 0 is the same), so there is no pass over the convolution's output.
// The pooling is vectorized per output row: the two input rows under the
// window are read whole (8 elements) and combined by arith.maximumf (the
// pooling's own payload), then two shuffles pick the even and the odd
// columns, whose maximum is the output row. The pooling's initial value,
// max(-inf, 0) = 0 after the fold, is neither materialized nor read: it is
// a constant operand of the first maximum.
// CHECK-LABEL: func.func @conv_relu_pool(
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NOT: 0xFF800000
// CHECK: scf.for %[[N:[a-z0-9]+]] = {{.*}} -> (tensor<?x4x4x4xf32>)
// CHECK:   vector.contract
// CHECK-NOT: arith.maximumf
// CHECK:   scf.for
// CHECK:     scf.for
// CHECK-NOT:   vector.transfer_read {{.*}} : tensor<1x1x1x4xf32>
// CHECK:       %[[TOP:.+]] = vector.transfer_read {{.*}} : tensor<1x4x8x8xf32>, vector<8xf32>
// CHECK:       %[[BOTTOM:.+]] = vector.transfer_read {{.*}} : tensor<1x4x8x8xf32>, vector<8xf32>
// CHECK:       %[[ROWS:.+]] = arith.maximumf %[[TOP]], %[[BOTTOM]] : vector<8xf32>
// CHECK:       %[[EVEN:.+]] = vector.shuffle %[[ROWS]], %[[ROWS]] [0, 2, 4, 6] : vector<8xf32>, vector<8xf32>
// CHECK:       %[[CLAMPED:.+]] = arith.maximumf %[[EVEN]], %[[ZERO]] : vector<4xf32>
// CHECK:       %[[ODD:.+]] = vector.shuffle %[[ROWS]], %[[ROWS]] [1, 3, 5, 7] : vector<8xf32>, vector<8xf32>
// CHECK:       %[[OUT:.+]] = arith.maximumf %[[CLAMPED]], %[[ODD]] : vector<4xf32>
// CHECK:       vector.transfer_write %[[OUT]]
// CHECK: return
// CHECK-NOT: linalg.
func.func @conv_relu_pool(%x: tensor<?x1x10x10xf32>, %w: tensor<4x9xf32>) -> tensor<?x4x4x4xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x10x10xf32>
  %pe = tensor.empty(%n) : tensor<?x9x8x8xf32>
  %patches = linalg.generic {indexing_maps = [affine_map<(n, k, y, x) -> (n, k, y, x)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%pe : tensor<?x9x8x8xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %k = linalg.index 1 : index
    %y = linalg.index 2 : index
    %xx = linalg.index 3 : index
    %h = affine.apply affine_map<(k, y) -> (y + k floordiv 3)>(%k, %y)
    %v = affine.apply affine_map<(k, x) -> (x + k mod 3)>(%k, %xx)
    %e = tensor.extract %x[%i, %c0, %h, %v] : tensor<?x1x10x10xf32>
    linalg.yield %e : f32
  } -> tensor<?x9x8x8xf32>
  %pm = tensor.collapse_shape %patches [[0], [1], [2, 3]] : tensor<?x9x8x8xf32> into tensor<?x9x64xf32>
  %ce = tensor.empty(%n) : tensor<?x4x64xf32>
  %cz = linalg.fill ins(%zero : f32) outs(%ce : tensor<?x4x64xf32>) -> tensor<?x4x64xf32>
  %conv = linalg.contract indexing_maps = [affine_map<(n, f, p, k) -> (f, k)>, affine_map<(n, f, p, k) -> (n, k, p)>, affine_map<(n, f, p, k) -> (n, f, p)>] ins(%w, %pm : tensor<4x9xf32>, tensor<?x9x64xf32>) outs(%cz : tensor<?x4x64xf32>) -> tensor<?x4x64xf32>
  %img = tensor.expand_shape %conv [[0], [1], [2, 3]] output_shape [%n, 4, 8, 8] : tensor<?x4x64xf32> into tensor<?x4x8x8xf32>
  %re = tensor.empty(%n) : tensor<?x4x8x8xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%img : tensor<?x4x8x8xf32>) outs(%re : tensor<?x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4x8x8xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %oe = tensor.empty(%n) : tensor<?x4x4x4xf32>
  %of = linalg.fill ins(%ninf : f32) outs(%oe : tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%relu, %window : tensor<?x4x8x8xf32>, tensor<2x2xf32>) outs(%of : tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  return %pool : tensor<?x4x4x4xf32>
}

// -----

// The reversal of a negative-step slice reads its input through a map that
// is not a projected permutation: it is neither tiled by image nor
// vectorized.
// CHECK-LABEL: func.func @reverse(
// CHECK: linalg.generic
// CHECK-NOT: vector.
func.func @reverse(%x: tensor<?x3x2xf32>) -> tensor<?x3x2xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3x2xf32>
  %e = tensor.empty(%n) : tensor<?x3x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, -d1 + 2, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<?x3x2xf32>) outs(%e : tensor<?x3x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<?x3x2xf32>
  return %r : tensor<?x3x2xf32>
}

// -----

// Rows longer than 256 elements are cut into equal pieces (600 = 3 x 200);
// a row with no divisor between 8 and 256 (601 is prime) stays scalar.
// CHECK-LABEL: func.func @long_rows(
// CHECK: scf.for {{.*}} step %c200
// CHECK:   arith.maximumf {{.*}} : vector<200xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<?x601xf32>)
// CHECK-NOT: vector<601xf32>
func.func @long_rows(%x: tensor<?x600xf32>, %y: tensor<?x601xf32>) -> (tensor<?x600xf32>, tensor<?x601xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%x : tensor<?x600xf32>) {
  ^bb0(%out: f32):
    %r = arith.maximumf %out, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x600xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%y : tensor<?x601xf32>) {
  ^bb0(%out: f32):
    %r = arith.maximumf %out, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x601xf32>
  return %a, %b : tensor<?x600xf32>, tensor<?x601xf32>
}

// -----

// A bias broadcast into the accumulator of a matmul is fused into each
// register tile: the 4x16 accumulator starts as the bias row broadcast in
// registers (read once per column tile) instead of a load of a
// materialized bias tensor; the partial tiles of the dynamic rows get their
// bias rows from the fused broadcast, vectorized by rows.
// CHECK-LABEL: func.func @matmul_bias(
// CHECK-SAME: %[[A:.+]]: tensor<?x16xf32>, %[[B:.+]]: tensor<16x64xf32>, %[[BIAS:.+]]: tensor<64xf32>)
// CHECK: %[[FULL:.+]] = affine.apply
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %[[FULL]] step %c4
// CHECK:   scf.for %[[J:.+]] = %{{.+}} to %c64 step %c16
// CHECK:     %[[ROW:.+]] = vector.transfer_read %[[BIAS]][%[[J]]]{{.*}} : tensor<64xf32>, vector<16xf32>
// CHECK:     %[[ACC:.+]] = vector.broadcast %[[ROW]] : vector<16xf32> to vector<4x16xf32>
// CHECK:     %[[RES:.+]] = scf.for {{.*}} iter_args(%{{.+}} = %[[ACC]]) -> (vector<4x16xf32>)
// CHECK:       vector.contract {{.*}} into vector<4x16xf32>
// CHECK:     vector.transfer_write %[[RES]], %{{.+}}[%[[I]], %[[J]]]
// CHECK: scf.for %{{.+}} = %[[FULL]] to
// CHECK-NOT: linalg.
func.func @matmul_bias(%a: tensor<?x16xf32>, %b: tensor<16x64xf32>, %bias: tensor<64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%n) : tensor<?x64xf32>
  %init = linalg.broadcast ins(%bias : tensor<64xf32>) outs(%e : tensor<?x64xf32>) dimensions = [0]
  %0 = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x64xf32>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// A sum pooling with a 3x3 window, stride 1, dilation 2, whose initial value
// is not a fill: the accumulator row is read from it; the three input rows
// (2 apart) are read whole (4 + 2 * 2 = 8 elements) and added, and three
// shuffles pick the columns of each window position.
// CHECK-LABEL: func.func @sum_pool_dilated(
// CHECK-SAME: %[[X:.+]]: tensor<1x1x9x8xf32>, %[[INIT:.+]]: tensor<1x1x5x4xf32>)
// CHECK: scf.for
// CHECK:   %[[ACC:.+]] = vector.transfer_read %{{.+}} : tensor<1x1x5x4xf32>, vector<4xf32>
// CHECK:   %[[R0:.+]] = vector.transfer_read %[[X]]{{.*}} : tensor<1x1x9x8xf32>, vector<8xf32>
// CHECK:   %[[R1:.+]] = vector.transfer_read %[[X]]{{.*}} : tensor<1x1x9x8xf32>, vector<8xf32>
// CHECK:   %[[S1:.+]] = arith.addf %[[R0]], %[[R1]] : vector<8xf32>
// CHECK:   %[[R2:.+]] = vector.transfer_read %[[X]]{{.*}} : tensor<1x1x9x8xf32>, vector<8xf32>
// CHECK:   %[[S2:.+]] = arith.addf %[[S1]], %[[R2]] : vector<8xf32>
// CHECK:   %[[C0:.+]] = vector.shuffle %[[S2]], %[[S2]] [0, 1, 2, 3]
// CHECK:   %[[A0:.+]] = arith.addf %[[ACC]], %[[C0]] : vector<4xf32>
// CHECK:   %[[C1:.+]] = vector.shuffle %[[S2]], %[[S2]] [2, 3, 4, 5]
// CHECK:   %[[A1:.+]] = arith.addf %[[A0]], %[[C1]] : vector<4xf32>
// CHECK:   %[[C2:.+]] = vector.shuffle %[[S2]], %[[S2]] [4, 5, 6, 7]
// CHECK:   %[[A2:.+]] = arith.addf %[[A1]], %[[C2]] : vector<4xf32>
// CHECK:   vector.transfer_write %[[A2]]
func.func @sum_pool_dilated(%x: tensor<1x1x9x8xf32>, %init: tensor<1x1x5x4xf32>) -> tensor<1x1x5x4xf32> {
  %window = tensor.empty() : tensor<3x3xf32>
  %pool = linalg.pooling_nchw_sum {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %window : tensor<1x1x9x8xf32>, tensor<3x3xf32>) outs(%init : tensor<1x1x5x4xf32>) -> tensor<1x1x5x4xf32>
  return %pool : tensor<1x1x5x4xf32>
}

// -----

// A zero pad of a pooled result (the input of the next convolution): the
// pad becomes a fill of the padded shape plus an insert_slice, and the fill
// is moved up before the loop over images (its size resolved to the batch
// of the function's input), so that the loop's pooling writes into the
// padded buffer's interior (empty-tensor elimination, after this pass)
// rather than into a separate tensor copied into it after the loop.
// CHECK-LABEL: func.func @pool_pad(
// CHECK-SAME: %[[X:.+]]: tensor<?x2x8x8xf32>)
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %c0
// CHECK-NEXT: %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x2x6x6xf32>
// CHECK: %[[FILL:.+]] = scf.for {{.*}} iter_args(%{{.+}} = %[[E]]) -> (tensor<?x2x6x6xf32>)
// CHECK: %[[POOL:.+]] = scf.for {{.*}} -> (tensor<?x2x4x4xf32>)
// CHECK:   vector.shuffle
// CHECK: tensor.insert_slice %[[POOL]] into %[[FILL]][0, 0, 1, 1] [%{{.+}}, 2, 4, 4] [1, 1, 1, 1]
func.func @pool_pad(%x: tensor<?x2x8x8xf32>) -> tensor<?x2x6x6xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2x8x8xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %oe = tensor.empty(%n) : tensor<?x2x4x4xf32>
  %of = linalg.fill ins(%ninf : f32) outs(%oe : tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %window : tensor<?x2x8x8xf32>, tensor<2x2xf32>) outs(%of : tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %padded = tensor.pad %pool low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<?x2x4x4xf32> to tensor<?x2x6x6xf32>
  return %padded : tensor<?x2x6x6xf32>
}

// -----

// A ReLU whose result is used besides the max pooling stays: it is not
// folded into the pooling (which then reads the clamped values and starts
// from -inf).
// CHECK-LABEL: func.func @relu_kept(
// CHECK: arith.maximumf %{{.+}}, %{{.+}} : vector<8xf32>
// CHECK: vector.shuffle
// CHECK-NOT: arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK: return
func.func @relu_kept(%x: tensor<1x1x8x8xf32>) -> (tensor<1x1x8x8xf32>, tensor<1x1x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %re = tensor.empty() : tensor<1x1x8x8xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x1x8x8xf32>) outs(%re : tensor<1x1x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x1x8x8xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %oe = tensor.empty() : tensor<1x1x4x4xf32>
  %of = linalg.fill ins(%ninf : f32) outs(%oe : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%relu, %window : tensor<1x1x8x8xf32>, tensor<2x2xf32>) outs(%of : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %relu, %pool : tensor<1x1x8x8xf32>, tensor<1x1x4x4xf32>
}

// -----

// Pooling rows whose length is not a multiple of 8 are masked vectors: the
// input rows of 14 are read as vector<16> under a 14-lane mask, the output
// row of 7 is a vector<8> stored under a 7-lane mask (the shuffles fill the
// unused lane with element 0).
// CHECK-LABEL: func.func @pool_masked(
// CHECK-DAG: %[[OUT_MASK:.+]] = vector.constant_mask [7] : vector<8xi1>
// CHECK-DAG: %[[IN_MASK:.+]] = vector.constant_mask [14] : vector<16xi1>
// CHECK: scf.for
// CHECK:   %[[TOP:.+]] = vector.transfer_read %{{.+}}, %{{.+}}, %[[IN_MASK]] {{.*}} : tensor<1x1x2x14xf32>, vector<16xf32>
// CHECK:   %[[BOTTOM:.+]] = vector.transfer_read %{{.+}}, %{{.+}}, %[[IN_MASK]] {{.*}} : tensor<1x1x2x14xf32>, vector<16xf32>
// CHECK:   %[[ROWS:.+]] = arith.maximumf %[[TOP]], %[[BOTTOM]] : vector<16xf32>
// CHECK:   vector.shuffle %[[ROWS]], %[[ROWS]] [0, 2, 4, 6, 8, 10, 12, 0] : vector<16xf32>, vector<16xf32>
// CHECK:   vector.shuffle %[[ROWS]], %[[ROWS]] [1, 3, 5, 7, 9, 11, 13, 0] : vector<16xf32>, vector<16xf32>
// CHECK:   %[[OUT:.+]] = arith.maximumf {{.*}} : vector<8xf32>
// CHECK:   vector.transfer_write %[[OUT]], %{{.+}}, %[[OUT_MASK]] {{.*}} : vector<8xf32>, tensor<1x1x1x7xf32>
func.func @pool_masked(%x: tensor<1x1x14x14xf32>) -> tensor<1x1x7x7xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %window = tensor.empty() : tensor<2x2xf32>
  %oe = tensor.empty() : tensor<1x1x7x7xf32>
  %of = linalg.fill ins(%ninf : f32) outs(%oe : tensor<1x1x7x7xf32>) -> tensor<1x1x7x7xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %window : tensor<1x1x14x14xf32>, tensor<2x2xf32>) outs(%of : tensor<1x1x7x7xf32>) -> tensor<1x1x7x7xf32>
  return %pool : tensor<1x1x7x7xf32>
}
