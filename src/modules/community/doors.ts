/**
 * The doors of each police grid: the registered addresses whose point lies in it, from the addresses
 * module's in-memory registry (`AddressService.doorsByGrid`), grouped once and kept until the registry
 * changes (`addresses` cache event). The bench hands in a synthetic city with the same shape.
 */

export interface DoorAddress {
  code: string;
  text: string;
  lon: number;
  lat: number;
}

export interface DoorSource {
  doorsByGrid(gridIds?: ReadonlySet<string>): Map<string, DoorAddress[]>;
}

export class DoorCache {
  private byGrid: Map<string, DoorAddress[]> | null = null;
  private byCode: Map<string, { gridId: string; door: DoorAddress }> | null = null;

  constructor(private readonly source: DoorSource | undefined) {}

  invalidate(): void {
    this.byGrid = null;
    this.byCode = null;
  }

  private all(): Map<string, DoorAddress[]> {
    this.byGrid ??= this.source?.doorsByGrid() ?? new Map();
    return this.byGrid;
  }

  of(gridId: string): DoorAddress[] {
    return this.all().get(gridId) ?? [];
  }

  count(gridId: string): number {
    return this.of(gridId).length;
  }

  /** The door with this code and its grid (undefined: not a registered address in any grid). */
  find(code: string): { gridId: string; door: DoorAddress } | undefined {
    if (!this.byCode) {
      this.byCode = new Map();
      for (const [gridId, doors] of this.all()) for (const door of doors) this.byCode.set(door.code, { gridId, door });
    }
    return this.byCode.get(code);
  }

  gridIds(): string[] {
    return [...this.all().keys()];
  }
}
