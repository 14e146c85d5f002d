import { describe, expect, it } from 'vitest';
import { applicantProblems, type ApplicantFields } from './applicant-problems.js';

const GOOD: ApplicantFields = { nik: '3275011705900001', fullName: 'Budi Santoso', birthDate: '1990-05-17', gender: 'M', phone: '081234567890', email: 'budi@contoh.id', address: 'Jl. Merdeka 1' };

describe('applicantProblems', () => {
  it('a well-typed form has none', () => {
    expect(applicantProblems(GOOD)).toEqual([]);
  });

  it.each([
    [{ nik: '' }, [{ field: 'nik', problem: 'empty' }]],
    [{ nik: '327501170590' }, [{ field: 'nik', problem: 'length', digits: 12 }]],
    [{ nik: '32750117059000ab' }, [{ field: 'nik', problem: 'invalid' }]],
    [{ nik: '0075011705900001' }, [{ field: 'nik', problem: 'invalid' }]],
    [{ fullName: '  ' }, [{ field: 'fullName', problem: 'empty' }]],
    [{ fullName: 'x'.repeat(101) }, [{ field: 'fullName', problem: 'invalid' }]],
    [{ gender: '' }, [{ field: 'gender', problem: 'empty' }]],
    [{ phone: '' }, [{ field: 'phone', problem: 'empty' }]],
    [{ phone: 'x' }, [{ field: 'phone', problem: 'invalid' }]],
    [{ email: '' }, [{ field: 'email', problem: 'empty' }]],
    [{ email: 'y' }, [{ field: 'email', problem: 'invalid' }]],
    [{ address: '' }, [{ field: 'address', problem: 'empty' }]],
  ])('%j', (change, problems) => {
    expect(applicantProblems({ ...GOOD, ...change })).toEqual(problems);
  });

  it('reports every problem at once, in the order of the form', () => {
    const all = applicantProblems({ nik: '123', fullName: '', birthDate: '', gender: '', phone: 'x', email: 'y', address: '' });
    expect(all.map((p) => p.field)).toEqual(['nik', 'fullName', 'gender', 'phone', 'email', 'address']);
  });
});
