/**
 * The benign economy: every strand of ordinary financial life, each one module behind `Activity`. The order
 * is part of the output (ties at the same minute keep emission order), so new strands go at the end.
 */
import type { ActivityFactory } from '../sink.js';
import { bills } from './bills.js';
import { cards } from './cards.js';
import { cashDeposits } from './cash.js';
import { cryptoUse } from './crypto.js';
import { p2p } from './p2p.js';
import { payroll } from './payroll.js';
import { purchases } from './purchases.js';
import { remittances } from './remittances.js';
import { suppliers } from './suppliers.js';

export const ECONOMY: readonly ActivityFactory[] = [payroll, bills, cards, p2p, remittances, suppliers, cashDeposits, purchases, cryptoUse];
