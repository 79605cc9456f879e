// RUN: mc-opt %s --split-input-file --mc-cpu-int8-gemm-to-ukernel | FileCheck %s
// RUN: mc-opt %s --split-input-file --mc-cpu-int8-gemm-to-ukernel="sparse=always" | FileCheck %s --check-prefix=ALWAYS
// RUN: mc-opt %s --split-input-file --mc-cpu-int8-gemm-to-ukernel="sparse=never" | FileCheck %s --check-prefix=NEVER
// RUN: not mc-opt %s --split-input-file --mc-cpu-int8-gemm-to-ukernel="sparse=sometimes" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: mc-cpu-int8-gemm-to-ukernel: sparse must be auto, never or always, got 'sometimes'

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// A 2:4 weight (K4 = 8, 32 columns) in the dense panels: the product calls
// the 2:4 kernel on a new global (its bytes computed independently by a
// Python packer: per column 2 kept values of each group of 4, then their
// 2-bit positions), 160 bytes per panel, and the dense global goes away.
// CHECK-NOT: @w32x8 :
// CHECK-DAG: func.func private @mc_ukernel_i8mm_u8s8_sparse24(i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK-DAG: memref.global "private" constant @w32x8_sparse24 : memref<1x1x160xi8> = dense<"0x4E3D10C988641B50870F3567AC4B2FD6FDF9EAA93EE7108580EEE9339F82E99275071E3E8BFC4137CE1D59D5DE8E8910222DF66B68A0052F01677B90C088FE4B051652DB58F85CC6EF31C8525C6FD19653F45331A4949F8FFC96BF42FA1388088CBB567C480FA36B2B80715B7F811732184001C01727446FA4D72412A29EF29D51AFA6FB00BD40DB80EE84D9005600FF50B661F745AE187E00E690EE207A0196"> {alignment = 64 : i64}
// CHECK-NOT: @w32x8 :
// CHECK-LABEL: func.func @sparse24(
// CHECK-DAG: %[[G:.+]] = memref.get_global @w32x8_sparse24 : memref<1x1x160xi8>
// CHECK-DAG: %[[GPTR:.+]] = memref.extract_aligned_pointer_as_index %[[G]]
// CHECK-DAG: %[[PANEL:.+]] = arith.constant 160 : index
// CHECK-DAG: %[[GROUPS:.+]] = arith.constant 2 : index
// CHECK: scf.for
// CHECK: arith.muli %{{.+}}, %[[PANEL]]
// CHECK: scf.for
// CHECK: %[[K4:.+]] = arith.index_cast %[[GROUPS]] : index to i64
// CHECK: call @mc_ukernel_i8mm_u8s8_sparse24(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[K4]])
// CHECK-NOT: linalg.generic
// ALWAYS-LABEL: func.func @sparse24(
// ALWAYS: call @mc_ukernel_i8mm_u8s8_sparse24(
// NEVER: memref.global "private" constant @w32x8 : memref<1x2x32x4xi8> = dense<"0x004E003D8864000087000F00AC004B00FD0000F93E0000E7800000EE9F820000007507008B0000FCCE001D00DE8E000000222D006800A00000000167C0880000050016000058F800EF0031005C006F0053F4000000A40094FC960000FA001300008C00BB48000F002B00800000007F810018400000172700A40000D7A29E0000000010C91B000050356700002F0000D600EAA9001000850000E93300E900009200001E3E4137000059D50000890000100000F66B0005002F00007B90FE00004B005200DB5C00C600C800520000D196005331000000009F8FBF000042880800000000567C00A3006B00715B0017320000000100C0446F000000002412F2009D00">
// NEVER-NOT: _sparse
// NEVER-LABEL: func.func @sparse24(
// NEVER: memref.get_global @w32x8 : memref<1x2x32x4xi8>
// NEVER: arith.constant 256 : index
// NEVER: call @mc_ukernel_i8mm_u8s8(
memref.global "private" constant @w32x8 : memref<1x2x32x4xi8> = dense<"0x004E003D8864000087000F00AC004B00FD0000F93E0000E7800000EE9F820000007507008B0000FCCE001D00DE8E000000222D006800A00000000167C0880000050016000058F800EF0031005C006F0053F4000000A40094FC960000FA001300008C00BB48000F002B00800000007F810018400000172700A40000D7A29E0000000010C91B000050356700002F0000D600EAA9001000850000E93300E900009200001E3E4137000059D50000890000100000F66B0005002F00007B90FE00004B005200DB5C00C600C800520000D196005331000000009F8FBF000042880800000000567C00A3006B00715B0017320000000100C0446F000000002412F2009D00"> {alignment = 64 : i64}
func.func @sparse24(%a: memref<?x8xi8>, %c: memref<?x32xi32>) {
  %p = memref.get_global @w32x8 : memref<1x2x32x4xi8>
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x8xi8>, memref<1x2x32x4xi8>) outs(%c : memref<?x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// Two panels (40 columns) and K4 = 12: two blocks per panel, the second
// one half (positions of its second group unused), 320 bytes per panel.
// CHECK: memref.global "private" constant @w40x12_sparse24 : memref<2x2x160xi8> = dense<"0x24BCC898926D2D2ECC37053112F5DFE5C38901480DF3E94503DE2DFF67F3C1084EFD62E239A1815AD94578A964EDFF90F2E66DDAF7125EF3AF378FD3BD80EEFD4D900BB9C1F3C52E522A92E572BE6F98B10186D1E4BD5BCB936F7801D6CA0C7A1807516F4A7CB0B7A7765747FA917C81E902BEFFB670776E3C0178999AFF10C6029711E7489F05AB066B429B25BB10FE80EB00FF55FE049A80D51AEF11E746EB851D0000BE020000BA8F0000EE240000C01900007472000077340000794D0000946D0000111A0000A64F000074F50000C55A0000DE5D0000C70D0000D0B000003290000061FC0000ABB80000A48F00008CF10000B3820000EB1F00001927000094EB00007F6500001991000021F40000DAB50000906E00003C7100005CC3000041E60000419E000050EA000054AF000091E6000006DB000014AA000000B60000CCB5B194F08FEFBF70163CF94E71A8244EA33C58D92A60DB5EEB38C0FD9003150000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000009050F050B000B020F010E040E01070000000000000000000000000000000086950000AEE300000F5D0000D83A00004C62000023190000092E0000DCFC0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000080D0000050B0000050F0000010E000000000000000000000000000000000000">
// CHECK-LABEL: func.func @two_panels_half_block(
// CHECK-DAG: arith.constant 320 : index
// CHECK-DAG: arith.constant 3 : index
// CHECK: call @mc_ukernel_i8mm_u8s8_sparse24(
memref.global "private" constant @w40x12 : memref<2x3x32x4xi8> = dense<"0x000024BC9200006D0000CC37001200F5C389000000000DF30003DE000067F3004EFD000039A10000D9004500000064EDF200E60000F71200AF370000BD0080004D00009000C1F300522A0000007200BEB100010000E400BD936F0000D6CA000018000700004A007CA776000000FA91000000E90200B6007000003C019A0000FF00C80098002D002E00000531DF00E5000148000000E945002D00FF00C10000080062E20081005A0078A9000000FF00906D0000DA5E00F300008FD300EE0000FD0B0000B9C5002E00000092E500006F98860000D1005BCB0000007801000C7A005100006FB0B70000005747007C008100BE0000FF77006E0078000099001000C600851D0000BE0200BA008F00EE000024C019000074000072770034000079004D94006D00111A000000A64F000074F50000C5005A00DE5D0000C7000D00D0B00000329000000061FCAB00B800A4008F008CF1000000B3820000EB1F00192700000094EB007F65000000199100210000F40000DAB59000006E3C0071005C00C300CCB5000000F0008F000070164E0071004E00A30000D92A005E0000EB00FD009000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000B10094EF0000BF003CF90000A80024003C00586000DB00380000C0031500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008695000000AE00E3000F005D00D83A0000004C62002319000009002EDC0000FC000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"> {alignment = 64 : i64}
func.func @two_panels_half_block(%a: memref<?x12xi8>, %c: memref<?x40xi32>) {
  %p = memref.get_global @w40x12 : memref<2x3x32x4xi8>
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x12xi8>, memref<2x3x32x4xi8>) outs(%c : memref<?x40xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// K4 = 4 (one half block): auto keeps the dense kernel, always compresses
// (4 non-zeros in a block of 4: positions 0..3 of every column).
// CHECK-NOT: _sparse
// CHECK-LABEL: func.func @short(
// CHECK: call @mc_ukernel_i8mm_u8s8(
// ALWAYS: memref.global "private" constant @ones_sparse48 : memref<1x1x192xi8> = dense<"0x010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010100112233001122330011223300112233001122330011223300112233001122330011223300112233001122330011223300112233001122330011223300112233">
// ALWAYS-LABEL: func.func @short(
// ALWAYS: call @mc_ukernel_i8mm_u8s8_sparse48(
memref.global "private" constant @ones : memref<1x1x32x4xi8> = dense<1> {alignment = 64 : i64}
func.func @short(%a: memref<?x4xi8>, %c: memref<?x32xi32>) {
  %p = memref.get_global @ones : memref<1x1x32x4xi8>
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x4xi8>, memref<1x1x32x4xi8>) outs(%c : memref<?x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// 8 non-zeros per block (a dense weight), or a weight that is not a
// constant global: the dense kernel, whatever the option.
// CHECK-NOT: _sparse
// CHECK-LABEL: func.func @dense(
// CHECK: call @mc_ukernel_i8mm_u8s8(
// CHECK-LABEL: func.func @argument(
// CHECK: call @mc_ukernel_i8mm_u8s8(
// ALWAYS-NOT: _sparse
// ALWAYS-LABEL: func.func @dense(
// ALWAYS: call @mc_ukernel_i8mm_u8s8(
// ALWAYS-LABEL: func.func @argument(
// ALWAYS: call @mc_ukernel_i8mm_u8s8(
memref.global "private" constant @full : memref<1x2x32x4xi8> = dense<1> {alignment = 64 : i64}
func.func @dense(%a: memref<?x8xi8>, %c: memref<?x32xi32>) {
  %p = memref.get_global @full : memref<1x2x32x4xi8>
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x8xi8>, memref<1x2x32x4xi8>) outs(%c : memref<?x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}
func.func @argument(%a: memref<?x8xi8>, %p: memref<1x2x32x4xi8>, %c: memref<?x32xi32>) {
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x8xi8>, memref<1x2x32x4xi8>) outs(%c : memref<?x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// One weight global read by two products and by a load: compressed once,
// both products call the compressed kernel, and the dense global stays for
// the load.
// CHECK-DAG: memref.global "private" constant @zeros : memref<1x2x32x4xi8> = dense<0>
// CHECK-DAG: memref.global "private" constant @zeros_sparse24 : memref<1x1x160xi8> = dense<0>
// CHECK-NOT: memref.global
// CHECK-LABEL: func.func @shared(
// CHECK: %[[D:.+]] = memref.get_global @zeros : memref<1x2x32x4xi8>
// CHECK: call @mc_ukernel_i8mm_u8s8_sparse24(
// CHECK: call @mc_ukernel_i8mm_u8s8_sparse24(
// CHECK: memref.load %[[D]]
memref.global "private" constant @zeros : memref<1x2x32x4xi8> = dense<0> {alignment = 64 : i64}
func.func @shared(%a: memref<?x8xi8>, %c: memref<?x32xi32>, %d: memref<?x32xi32>) -> i8 {
  %p = memref.get_global @zeros : memref<1x2x32x4xi8>
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x8xi8>, memref<1x2x32x4xi8>) outs(%c : memref<?x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x8xi8>, memref<1x2x32x4xi8>) outs(%d : memref<?x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  %i = arith.constant 0 : index
  %v = memref.load %p[%i, %i, %i, %i] : memref<1x2x32x4xi8>
  return %v : i8
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// 4:8 but not 2:4 (3 non-zeros in the first group of 4 of even columns):
// the 4-of-8 kernel, 4-bit positions, 192 bytes per block.
// CHECK-DAG: func.func private @mc_ukernel_i8mm_u8s8_sparse48(i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK-DAG: memref.global "private" constant @w48_sparse48 : memref<1x2x192xi8> = dense<"0x30451A542867310840463936444954317D4818247C5C6214522003130A4D0F15495B7B703727762D2A1E1B3F5E6B50324A58164D3934386E3C5340065C2E6A602C0220317F1C1D095D08725306160C216F6B35081944086B7C723E6D095F5036133916172B774E436F7D064A2F0A2464300C252C647F2275490E1963542C3343001122551223356600112255143566770011225502133475001122550122357700112255011465760011225501122567001122551324456700112255304254775D3A0F5A014C38073E41234F41115E2D08185D16221F664A444C3B0D363C31053328044D526B65350D07696B6A695D260779621F563B2A2C2176582E716713566F225641652D342B31412D39296C5E323B33317F224C456011727B7D0D05382C68780660377C3811284F47262216430C360816685C525B01615B5226707B3F3100112255102152640011225521324576001122552133457600112255002335760011225511536577001122554054657600112255214254760011225501223466">
// CHECK-LABEL: func.func @sparse48(
// CHECK-DAG: arith.constant 384 : index
// CHECK-DAG: arith.constant 4 : index
// CHECK: call @mc_ukernel_i8mm_u8s8_sparse48(
// NEVER-LABEL: func.func @sparse48(
// NEVER: call @mc_ukernel_i8mm_u8s8(
memref.global "private" constant @w48 : memref<1x4x32x4xi8> = dense<"0x30451A000000286740463900000000007D48180000007C5C52200300000A4D00495B7B00003727762A1E1B00005E006B4A581600393400383C5340005C002E6A2C022000007F00005D087200000616006F6B3500000000197C723E0009005F00133916002B7700006F7D06002F0A2400300C250000647F00490E19000000005400540000003108000036000044495431002400006214000000130000000F00150070000000002D00003F000000005032004D00000000006E0006000000000060003100001C1D090000530000000C0021000800004408006B006D0000500000360017000000004E43004A000000006400002C000022007500006300002C3300435D3A0F00014C38003E4123000041110008185D000022001F444C3B003600003C3328040000526B000D07690000006A69077962000000563B21765800710067136F2256000065002D31412D00290000003B33310000224C0011727B00000D05006878060000370000284F4700000000003608160000005C00615B520070007B3F005A000007000000004F0000005E2D000016000000664A00000D000000310500004D000000653500006B00005D000026001F00002A00002C002E000000000056004100000034002B003900006C5E3200007F000045006000007D000038002C0000600000007C3811002600002216430C00680000525B00010026000000003100"> {alignment = 64 : i64}
func.func @sparse48(%a: memref<?x16xi8>, %c: memref<?x32xi32>) {
  %p = memref.get_global @w48 : memref<1x4x32x4xi8>
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x16xi8>, memref<1x4x32x4xi8>) outs(%c : memref<?x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}
